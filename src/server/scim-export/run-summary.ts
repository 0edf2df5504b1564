import { Prisma } from "@/generated/prisma/client";
import { db } from "../db";
import { sqlRows } from "../db/sql";
import { describeChanges, describeOutcome, listSentence, type MemberChange } from "./run-wording";
import type { ExportRunSummary } from "./types";

const { sql } = Prisma;

export const runSummarySelect = {
  id: true,
  trigger: true,
  status: true,
  phase: true,
  done: true,
  total: true,
  counts: true,
  stats: true,
  message: true,
  pendingDeletions: true,
  mode: true,
  subjectUserId: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  durationMs: true,
} satisfies Prisma.ExportRunSelect;

type Row = Prisma.ExportRunGetPayload<{ select: typeof runSummarySelect }>;

/** What only the run's operations tell: members per group, and the user a single-user provision was about. */
export type RunDetails = { memberChanges: MemberChange[]; subject: string | null };

const NO_DETAILS: RunDetails = { memberChanges: [], subject: null };

/** A run as the console shows it. Without `details` (a banner's run), member lines are left out. */
export function toRunSummary(row: Row, details: RunDetails = NO_DETAILS): ExportRunSummary {
  const { subjectUserId: _subject, ...run } = row;
  const counts = (row.counts ?? {}) as Record<string, number>;
  const errors = Object.entries(counts)
    .filter(([k]) => k.endsWith(".error"))
    .reduce((n, [, v]) => n + v, 0);
  return {
    ...run,
    counts,
    stats: (row.stats ?? {}) as Record<string, number>,
    errors,
    subject: details.subject,
    memberChanges: details.memberChanges,
    changes: describeChanges(counts, details.memberChanges),
    outcome: describeOutcome({ status: row.status, counts, memberChanges: details.memberChanges, message: row.message }),
  };
}

/**
 * Members added and removed per group for each run, summed from its membership operations (each
 * carries the names it sent in `changes[0].new` / `.old`): one grouped query for a page of runs.
 */
async function loadMemberChanges(runIds: string[]): Promise<Map<string, MemberChange[]>> {
  const out = new Map<string, MemberChange[]>();
  if (runIds.length === 0) return out;
  const rows = await sqlRows<{ runId: string; group: string; added: number; removed: number; failed: number }>(
    sql`
    SELECT o."runId"::text AS "runId", o.name AS "group",
      SUM(CASE WHEN o.action = 'members_added' AND o.result = 'SUCCESS' THEN jsonb_array_length(COALESCE(o.changes->0->'new', '[]'::jsonb)) ELSE 0 END)::int AS added,
      SUM(CASE WHEN o.action = 'members_removed' AND o.result = 'SUCCESS' THEN jsonb_array_length(COALESCE(o.changes->0->'old', '[]'::jsonb)) ELSE 0 END)::int AS removed,
      COUNT(*) FILTER (WHERE o.result = 'ERROR')::int AS failed
    FROM "ExportOperation" o
    WHERE o."runId" = ANY(${runIds}::uuid[]) AND o."objectType" = 'GROUP' AND o.action IN ('members_added', 'members_removed')
    GROUP BY o."runId", o.name
    ORDER BY o.name`,
    { kind: "scan" },
  );
  for (const { runId, ...change } of rows) {
    if (change.added || change.removed || change.failed) out.set(runId, [...(out.get(runId) ?? []), change]);
  }
  return out;
}

/** The userName a Provision on Demand of one user was about: from the directory, else from the run's own log. */
async function loadSubjects(rows: Pick<Row, "id" | "subjectUserId">[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const wanted = rows.filter((r) => r.subjectUserId !== null);
  if (wanted.length === 0) return out;
  const users = await db().directoryUser.findMany({
    where: { id: { in: wanted.map((r) => r.subjectUserId!) } },
    select: { id: true, userName: true },
  });
  const userNames = new Map(users.map((u) => [u.id, u.userName]));
  const missing = wanted.filter((r) => !userNames.has(r.subjectUserId!));
  const logged = missing.length
    ? await db().exportOperation.findMany({
        where: { runId: { in: missing.map((r) => r.id) }, objectType: "USER" },
        select: { runId: true, name: true },
        distinct: ["runId"],
        orderBy: [{ runId: "asc" }, { id: "asc" }],
      })
    : [];
  const loggedNames = new Map(logged.map((o) => [o.runId, o.name]));
  for (const r of wanted) {
    const name = userNames.get(r.subjectUserId!) ?? loggedNames.get(r.id);
    if (name) out.set(r.id, name);
  }
  return out;
}

/** Summaries of a page of runs, with their member counts per group and single-user subjects: a few queries per page, not per run. */
export async function toRunSummaries(rows: Row[]): Promise<ExportRunSummary[]> {
  const [members, subjects] = await Promise.all([loadMemberChanges(rows.map((r) => r.id)), loadSubjects(rows)]);
  return rows.map((row) => toRunSummary(row, { memberChanges: members.get(row.id) ?? [], subject: subjects.get(row.id) ?? null }));
}

/** The run's changes as one sentence for its stored message (the CLI prints it): "3 users created and 18 members added to Data." */
export async function changesSentence(runId: string, counts: Record<string, number>): Promise<string> {
  const members = (await loadMemberChanges([runId])).get(runId) ?? [];
  const text = listSentence(describeChanges(counts, members).map((c) => c.text));
  return text ? `${text.charAt(0).toUpperCase()}${text.slice(1)}.` : "";
}
