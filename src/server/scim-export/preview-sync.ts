/**
 * Preview sync (dry run): what a full reconcile would do to the target now, without doing it.
 *
 * The engine interleaves reading, deciding and writing (a created user's id is what the memberships
 * stage adds to a group), so rather than a second planner that could drift from the real one, the
 * real sync runs unchanged, with two differences:
 *   - its target client answers every write itself (client/dry-run-target.ts): only GETs are sent,
 *     and a created object gets a made-up `preview-…` id that later reads of it find;
 *   - it runs inside one database transaction (db.ts `inTransactionScope`) that is rolled back at the
 *     end: the run, its operations, links and the profile's last-sync fields are never committed.
 * Before rolling back, the run's operations (with their attribute values) and counts are read: that
 * is the preview. The deletion threshold does not stop a preview; it says whether the real sync would
 * stop for confirmation.
 */
import { AppError } from "@/server/errors";
import { db, inTransactionScope } from "../db";
import { asDryRun } from "./engine/dry-run";
import { inlineSteps, runExportSync } from "./engine/sync";
import { requireProfile, type ProfileScoped } from "./profiles";
import { getExportRun } from "./runs";
import type { ExportRunSummary } from "./types";

/** A preview lists at most this many operations (its counts are always complete). */
export const PREVIEW_OPERATIONS_SHOWN = 2000;
/** A preview reads the whole target: it may take a while on a large one, but not forever. */
const PREVIEW_TIMEOUT_MS = 15 * 60_000;

export type PreviewOperation = {
  objectType: "USER" | "GROUP";
  name: string;
  /** created, updated, matched, deactivated, reactivated, deleted, renamed, members_added, members_removed, skipped. */
  action: string;
  result: "SUCCESS" | "SKIPPED" | "ERROR";
  /** Attribute by attribute: the value on the target now (old) and the value the sync would send (new). */
  changes: { attribute: string; old: unknown; new: unknown }[];
  reason: string | null;
};

export type PreviewTotals = {
  usersCreated: number;
  usersUpdated: number;
  usersDeactivated: number;
  usersReactivated: number;
  usersDeleted: number;
  usersMatched: number;
  groupsCreated: number;
  groupsUpdated: number;
  groupsDeleted: number;
  membersAdded: number;
  membersRemoved: number;
  skipped: number;
  errors: number;
};

export type SyncPreview = {
  /** How the sync would end: SUCCEEDED, PARTIAL (some objects would fail), FAILED (e.g. a bad token). */
  status: ExportRunSummary["status"];
  /** Why it would fail (FAILED), or the engine's sentence. */
  message: string | null;
  totals: PreviewTotals;
  /** One line per kind of change ("3 users created", "2 members added to Data"), as the run would report. */
  changes: ExportRunSummary["changes"];
  operations: PreviewOperation[];
  operationsTotal: number;
  /** Users the sync would deactivate or delete, and the profile's threshold: above it, Sync stops for confirmation. */
  pendingDeletions: number;
  deletionThreshold: number;
  /** Requests sent to the target (all reads), and the writes the sync would have sent. */
  readRequests: number;
  writesNotSent: number;
  previewedAt: Date;
};

/** Thrown to roll the preview's transaction back, carrying what was read before. */
class RollBack extends Error {
  constructor(readonly preview: SyncPreview) {
    super("preview rolled back");
  }
}

export async function previewExportSync(options: ProfileScoped): Promise<SyncPreview> {
  const profile = await requireProfile(options, { id: true, deletionThreshold: true });
  const running = await db().exportRun.findFirst({
    where: { profileId: profile.id, status: { in: ["QUEUED", "RUNNING"] } },
    select: { id: true },
  });
  if (running) throw new AppError("CONFLICT", "A sync of this profile is queued or running: preview it when it has finished.");
  try {
    await db().$transaction(
      (tx) =>
        inTransactionScope(tx, () =>
          asDryRun(async (target) => {
            const preview = await previewInScope(options.tenantId, profile.id, profile.deletionThreshold);
            throw new RollBack({ ...preview, writesNotSent: target.writes });
          }),
        ),
      { timeout: PREVIEW_TIMEOUT_MS, maxWait: 10_000 },
    );
  } catch (error) {
    if (error instanceof RollBack) return error.preview;
    throw error;
  }
  throw new Error("unreachable: the preview transaction always rolls back");
}

async function previewInScope(tenantId: string, profileId: string, deletionThreshold: number): Promise<Omit<SyncPreview, "writesNotSent">> {
  // Full and confirmed: a preview shows everything a full reconcile would do, past the threshold too.
  const run = await db().exportRun.create({
    data: { tenantId, profileId, trigger: "MANUAL", fullSync: true, confirmedDeletions: true, requestedBy: "preview" },
    select: { id: true },
  });
  await runExportSync({ tenantId, profileId, runId: run.id }, inlineSteps);
  const summary = await getExportRun({ tenantId, runId: run.id });
  const where = { runId: run.id, tenantId };
  const [rows, operationsTotal] = await Promise.all([
    db().exportOperation.findMany({
      where,
      orderBy: { id: "asc" },
      take: PREVIEW_OPERATIONS_SHOWN,
      select: { objectType: true, name: true, action: true, result: true, changes: true, reason: true },
    }),
    db().exportOperation.count({ where }),
  ]);
  return {
    status: summary.status,
    message: summary.status === "FAILED" ? summary.message : summary.outcome,
    totals: totalsOf(summary.counts, summary.memberChanges),
    changes: summary.changes,
    operations: rows.map((r) => ({ ...r, changes: (r.changes as PreviewOperation["changes"] | null) ?? [] })),
    operationsTotal,
    pendingDeletions: summary.pendingDeletions ?? 0,
    deletionThreshold,
    readRequests: summary.stats.requests ?? 0,
    previewedAt: new Date(),
  };
}

/** The preview's numbers from the run's counts ("user.created.success": 3) and member changes. Pure. */
export function totalsOf(counts: Record<string, number>, memberChanges: ExportRunSummary["memberChanges"]): PreviewTotals {
  const n = (key: string) => counts[key] ?? 0;
  const sumWhere = (suffix: string) =>
    Object.entries(counts)
      .filter(([k]) => k.endsWith(suffix))
      .reduce((s, [, v]) => s + v, 0);
  return {
    usersCreated: n("user.created.success"),
    usersUpdated: n("user.updated.success"),
    usersDeactivated: n("user.deactivated.success"),
    usersReactivated: n("user.reactivated.success"),
    usersDeleted: n("user.deleted.success"),
    usersMatched: n("user.matched.success"),
    groupsCreated: n("group.created.success"),
    groupsUpdated: n("group.updated.success") + n("group.renamed.success"),
    groupsDeleted: n("group.deleted.success"),
    membersAdded: memberChanges.reduce((s, m) => s + m.added, 0),
    membersRemoved: memberChanges.reduce((s, m) => s + m.removed, 0),
    skipped: sumWhere(".skipped"),
    errors: sumWhere(".error"),
  };
}
