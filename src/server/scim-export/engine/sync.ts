/**
 * One sync of one profile, as stages. Each stage is one `step.run` (Inngest, or the in-process
 * runner's step shim), so a retry or a restart resumes at the first unfinished stage. Every
 * stage is idempotent on its own: the link table is the durable state, so redoing a stage sends
 * only what is still missing.
 *
 *   full:        start → plan → probe → read-target → users-<n>… → groups → leavers → memberships-<n>… → group-leavers → finish
 *   incremental: start → plan → probe → users-<n>… → [groups] → [leavers] → memberships-<n>… → [user-memberships] → finish
 * A run is incremental when nothing but directory objects changed since the last run that pushed
 * everything (see incremental.ts); the scheduled full reconcile and any settings change run full.
 * A full run reconciles with the TARGET, not with the link table: it reads every user there first
 * (read-target.ts), then each group and its members; an incremental run reads a user or group by
 * id before it writes to it (drift.ts).
 */
import { Prisma } from "@/generated/prisma/client";
import type { ExportRunStatus } from "@/generated/prisma/enums";
import { plural } from "@/lib/plural";
import { db, type DbTx } from "../../db";
import { sqlExecute, sqlRows } from "../../db/sql";
import { fenceHolds, LeaseLostError, type Fence } from "../../jobs/lease";
import type { StepRunner } from "../../jobs/step";
import { listQueryString } from "../../scim";
import type { ClientRetries } from "../client/scim-client";
import { startUnlessProfileBusy } from "../one-sync-per-profile";
import { changesSentence } from "../run-summary";
import { scopeGroupIds as loadScopeGroupIds, nestingOf } from "../scope";
import { metrics } from "../../observability/metrics";
import { loggedSteps } from "../../observability/step-log";
import { ConfigurationError, loadSyncContext, type SyncContext } from "./context";
import { dryRunTarget } from "./dry-run";
import { syncGroupLeavers, syncGroups } from "./groups";
import { syncMemberships, syncMembershipsOfUsers } from "./members";
import { readTargetUsers } from "./read-target";
import { leavingUsers, syncLeavers } from "./leavers";
import { Recorder } from "./recorder";
import { FatalTargetError, send } from "./remote";
import { changedObjects, INCREMENTAL_MAX_USERS, safeWatermark, settingsHash } from "./incremental";
import { syncUserChunk, syncUserList } from "./users";
import { syncManagers } from "./managers";
import { storedRows } from "../mapping-service";
import { MANAGER_TARGET } from "../scim-resource";
import { log } from "../../observability/logger";

const { sql } = Prisma;

export type SyncEventData = { tenantId: string; profileId: string; runId: string };
export type { StepRunner };

const USERS_PER_STEP = 2000;
const GROUPS_PER_STEP = 25;

type StageResult = { fatal: string | null; quarantinable: boolean; errors: number; writes: number };

async function stage(
  data: SyncEventData,
  retries: ClientRetries | undefined,
  phase: string,
  fn: (ctx: SyncContext, rec: Recorder) => Promise<void>,
): Promise<StageResult> {
  let ctx: SyncContext;
  try {
    ctx = await loadSyncContext({ ...data, retries });
  } catch (error) {
    if (error instanceof ConfigurationError) return { fatal: error.message, quarantinable: true, errors: 0, writes: 0 };
    throw error;
  }
  await db().exportRun.update({ where: { id: data.runId }, data: { phase }, select: { id: true } });
  const rec = new Recorder(ctx);
  try {
    await fn(ctx, rec);
  } catch (error) {
    await rec.flush(ctx.client.stats);
    if (error instanceof FatalTargetError)
      return { fatal: error.message, quarantinable: error.quarantinable, errors: rec.errors, writes: rec.writes };
    throw error;
  }
  await rec.flush(ctx.client.stats);
  return { fatal: null, quarantinable: false, errors: rec.errors, writes: rec.writes };
}

type Plan = {
  proceed: boolean;
  scopeGroupIds: string[];
  /** "full": every in-scope user, by id ranges; "incremental": only the objects listed below. */
  mode: "full" | "incremental";
  chunks: [string | null, string | null][];
  needsConfirmation: boolean;
  leavers: number;
  /** The user mapping sets the enterprise manager: a managers stage runs after the memberships. */
  managers?: boolean;
  /** Incremental only (sorted ids). */
  userIds?: string[];
  groupIds?: string[];
  fullMemberGroupIds?: string[];
  memberGroupIds?: string[];
};

/**
 * Starts the run for `owner` (the job execution). A run already RUNNING for another owner is
 * refused: a second job of one run (a duplicate event) must not run it beside the first. The
 * status and owner are compared and set in one statement, so two executions never both start it.
 */
/**
 * QUEUED → RUNNING for this execution. `gated` (outside the in-process runner, whose key already
 * allows one running job per profile): only while no other run of the profile runs and no
 * Provision on Demand holds it; else `{ proceed: false, busy: true }` and the caller waits.
 */
async function startRun(data: SyncEventData, owner: string | null, gated: boolean): Promise<{ proceed: boolean; busy?: true }> {
  const run = await db().exportRun.findFirst({
    where: { id: data.runId, tenantId: data.tenantId, profileId: data.profileId },
    select: { status: true, trigger: true, startedAt: true, owner: true },
  });
  if (!run || !["QUEUED", "RUNNING"].includes(run.status)) return { proceed: false };
  if (run.status === "RUNNING" && run.owner !== owner) {
    log().warn(
      `SCIM Export sync run ${data.runId} (profile ${data.profileId}): already running for ${run.owner ?? "another execution"}; execution ${owner ?? "inline"} leaves it alone.`,
    );
    return { proceed: false };
  }
  const profile = await db().exportProfile.findUnique({ where: { id: data.profileId }, select: { quarantinedUntil: true, enabled: true } });
  const automatic = run.trigger === "SCHEDULE" || run.trigger === "CHANGE";
  if (automatic && profile && (!profile.enabled || (profile.quarantinedUntil && profile.quarantinedUntil > new Date()))) {
    await db().exportRun.update({
      where: { id: data.runId },
      data: {
        status: "CANCELLED",
        finishedAt: new Date(),
        message: profile.enabled ? "Skipped: the profile is in quarantine after repeated failures." : "Skipped: the profile is disabled.",
      },
      select: { id: true },
    });
    return { proceed: false };
  }
  const start = async (tx: DbTx) =>
    (
      await tx.exportRun.updateMany({
        where: { id: data.runId, status: run.status, owner: run.owner },
        data: { status: "RUNNING", owner, startedAt: run.startedAt ?? new Date(), phase: "reading directory" },
      })
    ).count === 1;
  if (gated) return startUnlessProfileBusy(data, start);
  return { proceed: await start(db()) };
}

async function planRun(data: SyncEventData): Promise<Plan> {
  const profile = await db().exportProfile.findUniqueOrThrow({
    where: { id: data.profileId },
    select: {
      type: true,
      baseUrl: true,
      userMapping: true,
      groupMapping: true,
      matchOrder: true,
      includeNestedGroups: true,
      nestedGroupsOnTarget: true,
      leaveAction: true,
      deletionThreshold: true,
      syncedChangeId: true,
      syncedRunId: true,
      syncedSettingsHash: true,
      lastFullSyncAt: true,
      fullSyncHours: true,
    },
  });
  const run = await db().exportRun.findUniqueOrThrow({ where: { id: data.runId }, select: { confirmedDeletions: true, fullSync: true } });
  const scopeGroupIds = await loadScopeGroupIds({ profileId: data.profileId, includeNestedGroups: profile.includeNestedGroups });
  const plannedAt = new Date();
  const hash = settingsHash(profile, scopeGroupIds);
  const watermark = await safeWatermark(profile.syncedChangeId);
  const fullDue = !profile.lastFullSyncAt || plannedAt.getTime() - profile.lastFullSyncAt.getTime() >= profile.fullSyncHours * 3_600_000;
  const canIncrement = !run.fullSync && !fullDue && profile.syncedChangeId !== null && profile.syncedSettingsHash === hash;
  // Every linked user out of scope, however it left: a leaver whose only trace was a change read
  // by a run that had passed its leavers stage is not lost (issue 14, item 5). One anti-join.
  const leaving = await leavingUsers(data.profileId, scopeGroupIds, profile.leaveAction);
  const changed = canIncrement
    ? await changedObjects({
        tenantId: data.tenantId,
        profileId: data.profileId,
        scopeGroupIds,
        since: profile.syncedChangeId!,
        lastRunId: profile.syncedRunId,
        leaverIds: leaving.map((l) => l.localId),
        nesting: nestingOf(profile),
      })
    : null;
  const incremental = changed !== null && changed.userIds.length <= INCREMENTAL_MAX_USERS;
  const managers = storedRows(profile.userMapping).some((r) => r.target === MANAGER_TARGET);
  const planFields = { mode: incremental ? "incremental" : "full", planChangeId: watermark, plannedAt, settingsHash: hash };

  if (incremental) {
    const leavers = leaving.length;
    const needsConfirmation = leavers > profile.deletionThreshold && !run.confirmedDeletions;
    await db().exportRun.update({
      where: { id: data.runId },
      data: { ...planFields, total: changed.userIds.length + changed.groupIds.length + leavers, pendingDeletions: leavers },
      select: { id: true },
    });
    const chunks: [string | null, string | null][] = [];
    return { proceed: true, scopeGroupIds, mode: "incremental", chunks, needsConfirmation, leavers, managers, ...changed };
  }

  const ids = await sqlRows<{ id: string }>(
    sql`
    SELECT DISTINCT gm."userId"::text AS id FROM "GroupMember" gm WHERE gm."groupId" = ANY(${scopeGroupIds}::uuid[]) ORDER BY 1`,
    { kind: "scan" },
  );
  const chunks: [string | null, string | null][] = [];
  for (let i = 0; i < ids.length; i += USERS_PER_STEP) {
    const after = i === 0 ? null : ids[i - 1]!.id;
    const upTo = i + USERS_PER_STEP >= ids.length ? null : ids[i + USERS_PER_STEP - 1]!.id;
    chunks.push([after, upTo]);
  }
  const leavers = leaving.length;
  const needsConfirmation = leavers > profile.deletionThreshold && !run.confirmedDeletions;
  await db().exportRun.update({
    where: { id: data.runId },
    data: { ...planFields, total: ids.length + scopeGroupIds.length + leavers, pendingDeletions: leavers },
    select: { id: true },
  });
  return { proceed: true, scopeGroupIds, mode: "full", chunks, needsConfirmation, leavers, managers };
}

/** Closes the run and updates the profile: last result, next schedule, failures and quarantine. */
export async function finishRun(
  data: SyncEventData,
  outcome: { fatal: string | null; quarantinable: boolean; needsConfirmation?: { leavers: number; threshold: number } },
  /** The in-process job's fence: an execution that lost its job finishes nothing. */
  fence?: Fence,
) {
  const run = await db().exportRun.findUniqueOrThrow({
    where: { id: data.runId },
    select: {
      status: true,
      message: true,
      counts: true,
      startedAt: true,
      createdAt: true,
      mode: true,
      planChangeId: true,
      plannedAt: true,
      settingsHash: true,
    },
  });
  // Finished already (an execution that finished it lost its answer, then resumed): once is enough.
  if (!["QUEUED", "RUNNING"].includes(run.status)) return { status: run.status, message: run.message ?? "" };
  const counts = (run.counts ?? {}) as Record<string, number>;
  const errors = Object.entries(counts)
    .filter(([k]) => k.endsWith(".error"))
    .reduce((n, [, v]) => n + v, 0);
  const status: ExportRunStatus = outcome.needsConfirmation
    ? "NEEDS_CONFIRMATION"
    : outcome.fatal
      ? "FAILED"
      : errors
        ? "PARTIAL"
        : "SUCCEEDED";
  const scopeEmpty = (await db().exportAssignedGroup.count({ where: { profileId: data.profileId } })) === 0;
  const message = outcome.needsConfirmation
    ? `Stopped before any change: this sync would ${"deactivate or delete"} ${outcome.needsConfirmation.leavers} users, more than the deletion threshold (${outcome.needsConfirmation.threshold}). Confirm to continue, or check the assigned groups.`
    : outcome.fatal
      ? outcome.fatal
      : [await changesSentence(data.runId, counts), errors ? `${plural(errors, "error")}: see the operations below.` : ""]
          .filter(Boolean)
          .join(" ") ||
        (scopeEmpty
          ? "Nothing to sync: no groups are assigned to this profile (Groups tab)."
          : "Nothing to change: the target already matches the directory.");
  const now = new Date();
  const started = run.startedAt ?? run.createdAt;
  // Closed only while still open and, in-process, while the job is still this execution's.
  const closed = await sqlExecute(
    sql`
    UPDATE "ExportRun" SET status = ${status}::"ExportRunStatus", phase = 'done', "finishedAt" = ${now.toISOString()}::timestamp, "durationMs" = ${now.getTime() - started.getTime()}, message = ${message}
    WHERE id = ${data.runId}::uuid AND status IN ('QUEUED', 'RUNNING') ${fence ? sql`AND ${fenceHolds(fence)}` : sql``}`,
    { kind: "point" },
  );
  if (closed !== 1) {
    if (fence) throw new LeaseLostError(fence.jobId);
    return { status, message };
  }
  if (!dryRunTarget()) metrics().syncRuns.inc({ outcome: status, mode: run.mode ?? "none" });
  const profile = await db().exportProfile.findUniqueOrThrow({
    where: { id: data.profileId },
    select: { consecutiveFailures: true, scheduleMinutes: true },
  });
  const failed = status === "FAILED" && outcome.quarantinable;
  const failures = failed ? profile.consecutiveFailures + 1 : status === "FAILED" ? profile.consecutiveFailures : 0;
  const quarantine = failed ? quarantineFor(failures) : null;
  // Every change the plan read has been pushed (or its failure is recorded and retried by the next
  // run): the next run may start from this plan's watermark.
  const pushed = (status === "SUCCEEDED" || status === "PARTIAL") && run.planChangeId !== null && run.plannedAt !== null;
  const watermark = pushed
    ? {
        syncedChangeId: run.planChangeId,
        syncedAt: run.plannedAt,
        syncedRunId: data.runId,
        syncedSettingsHash: run.settingsHash,
        ...(run.mode === "full" ? { lastFullSyncAt: run.plannedAt } : {}),
      }
    : {};
  await db().exportProfile.update({
    where: { id: data.profileId },
    data: {
      lastSyncAt: now,
      lastSyncStatus: status,
      consecutiveFailures: failures,
      ...watermark,
      ...(quarantine
        ? { quarantinedUntil: new Date(now.getTime() + quarantine), quarantineReason: outcome.fatal }
        : status === "FAILED"
          ? {}
          : { quarantinedUntil: null, quarantineReason: null }),
      nextSyncAt: profile.scheduleMinutes ? new Date(now.getTime() + profile.scheduleMinutes * 60_000) : null,
    },
    select: { id: true },
  });
  return { status, message };
}

/** Quarantine after 3 failed runs in a row: 1 hour, doubling, at most a day (Entra: hours, then daily). */
const QUARANTINE_AFTER = 3;
function quarantineFor(failures: number): number | null {
  if (failures < QUARANTINE_AFTER) return null;
  return Math.min(24 * 3_600_000, 3_600_000 * 2 ** (failures - QUARANTINE_AFTER));
}

/** The sync, stage by stage. The same code runs under Inngest and in-process. */
export async function runExportSync(
  data: SyncEventData,
  jobSteps: StepRunner,
  execution: {
    /** The job execution running the sync (stable across its retries); startRun refuses the run to any other. */
    owner?: string;
    /** This execution resumes a job that was cut off or failed: the step it starts with may have been half done. */
    resumed?: boolean;
    fence?: Fence;
    /** The SCIM client's retry timings (the job definition's setting); the production defaults when absent. */
    retries?: ClientRetries;
  } = {},
): Promise<{ status: string; message?: string }> {
  // A preview's steps are not a job's: they are not logged as one.
  const step = dryRunTarget()
    ? jobSteps
    : loggedSteps(jobSteps, { job: "scim-export/sync", runId: data.runId, profileId: data.profileId, tenantId: data.tenantId });
  const fence = execution.fence;
  // Only the first step this execution runs can be the half-done one (later steps never started).
  let halfDone = execution.resumed === true;
  const resumedStep = () => {
    const value = halfDone;
    halfDone = false;
    return value;
  };
  const start = (await step.run("start", () => (resumedStep(), startRun(data, execution.owner ?? null, !fence)))) as { proceed: boolean };
  if (!start.proceed) return { status: "skipped" };
  const plan = (await step.run("plan", () => (resumedStep(), planRun(data)))) as Plan;
  if (plan.needsConfirmation) {
    const profile = await db().exportProfile.findUniqueOrThrow({ where: { id: data.profileId }, select: { deletionThreshold: true } });
    return (await step.run("finish", () =>
      finishRun(
        data,
        { fatal: null, quarantinable: false, needsConfirmation: { leavers: plan.leavers, threshold: profile.deletionThreshold } },
        fence,
      ),
    )) as { status: string };
  }
  const stages: [string, string, (ctx: SyncContext, rec: Recorder, resumed: boolean) => Promise<void>][] = [];
  // One read first: a revoked token or a wrong URL fails the run clearly even when nothing changed.
  stages.push([
    "probe",
    "connecting",
    async (ctx) => void (await send(ctx, "GET", `/Users?${listQueryString({ startIndex: 1, count: 1 })}`, undefined, "the user list")),
  ]);
  if (plan.mode === "incremental") {
    // Only what changed since the last run that pushed everything (engine/incremental.ts). The
    // scope's groups are the same as then (else the settings hash differs and the run is full).
    const userIds = plan.userIds ?? [];
    for (let i = 0; i < userIds.length; i += USERS_PER_STEP) {
      const ids = userIds.slice(i, i + USERS_PER_STEP);
      stages.push([`users-${i / USERS_PER_STEP}`, "users", (ctx, rec) => syncUserList(ctx, rec, plan.scopeGroupIds, ids)]);
    }
    const groupIds = plan.groupIds ?? [];
    if (groupIds.length) stages.push(["groups", "groups", (ctx, rec) => syncGroups(ctx, rec, groupIds, "before-write")]);
    if (userIds.length) stages.push(["leavers", "leavers", (ctx, rec) => syncLeavers(ctx, rec, plan.scopeGroupIds, userIds)]);
    const full = plan.fullMemberGroupIds ?? [];
    for (let i = 0; i < full.length; i += GROUPS_PER_STEP) {
      const ids = full.slice(i, i + GROUPS_PER_STEP);
      stages.push([`memberships-${i / GROUPS_PER_STEP}`, "memberships", (ctx, rec) => syncMemberships(ctx, rec, ids)]);
    }
    const partial = plan.memberGroupIds ?? [];
    if (partial.length && userIds.length)
      stages.push(["user-memberships", "memberships", (ctx, rec) => syncMembershipsOfUsers(ctx, rec, partial, userIds)]);
    // One query finds whose manager changed (a manager pushed in this run, or removed); usually nobody.
    if (plan.managers) stages.push(["managers", "managers", (ctx, rec) => syncManagers(ctx, rec)]);
  } else {
    stages.push(["read-target", "reading the target", (ctx, rec) => readTargetUsers(ctx, rec, plan.scopeGroupIds)]);
    // A chunk resumed after a crash looks each unlinked user up before creating it: the instance
    // that died may have created users whose links it had not written yet.
    plan.chunks.forEach(([after, upTo], i) =>
      stages.push([
        `users-${i}`,
        "users",
        (ctx, rec, resumed) => syncUserChunk(ctx, rec, plan.scopeGroupIds, after, upTo, { lookup: resumed }),
      ]),
    );
    stages.push(["groups", "groups", (ctx, rec) => syncGroups(ctx, rec, plan.scopeGroupIds, "always")]);
    stages.push(["leavers", "leavers", (ctx, rec) => syncLeavers(ctx, rec, plan.scopeGroupIds)]);
    for (let i = 0; i < plan.scopeGroupIds.length; i += GROUPS_PER_STEP) {
      const ids = plan.scopeGroupIds.slice(i, i + GROUPS_PER_STEP);
      stages.push([`memberships-${i / GROUPS_PER_STEP}`, "memberships", (ctx, rec) => syncMemberships(ctx, rec, ids)]);
    }
    if (plan.managers) stages.push(["managers", "managers", (ctx, rec) => syncManagers(ctx, rec)]);
    stages.push(["group-leavers", "groups leaving scope", (ctx, rec) => syncGroupLeavers(ctx, rec, plan.scopeGroupIds)]);
  }
  for (const [id, phase, fn] of stages) {
    const result = (await step.run(id, () => {
      const resumed = resumedStep();
      return stage(data, execution.retries, phase, (ctx, rec) => fn(ctx, rec, resumed));
    })) as StageResult;
    if (result.fatal)
      return (await step.run("finish", () => finishRun(data, { fatal: result.fatal, quarantinable: result.quarantinable }, fence))) as {
        status: string;
      };
  }
  return (await step.run("finish", () => finishRun(data, { fatal: null, quarantinable: false }, fence))) as { status: string };
}

/** Runs a sync right here with a pass-through step runner (tests, the CLI without a runner). */
export const inlineSteps: StepRunner = { run: (_id, fn) => fn() };
