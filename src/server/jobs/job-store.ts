/**
 * The in-process runner's statements on JobRun / JobStep. Every write an execution makes after
 * its claim is fenced by its token (lease.ts): once another instance has claimed the job again,
 * they change nothing and report it, so the execution stops.
 */
import { metrics } from "../observability/metrics";
import { Prisma } from "@/generated/prisma/client";
import { db, type DbTx } from "../db";
import { sqlExecute, sqlRows } from "../db/sql";
import { isUniqueViolation } from "../errors";
import { currentFence, fenceHolds, LeaseLostError, noteLeaseLost, type Fence } from "./lease";

const { sql } = Prisma;

export type ClaimedJob = { id: string; functionId: string; eventName: string; eventData: unknown; attempts: number; token: string };

/**
 * Claims the next runnable job of these functions: a queued one whose time has come, or a running
 * one whose lease expired (its instance died). A job waits while another job of its concurrency
 * key is RUNNING, even with an expired lease: that one is resumed first. The unique partial index
 * "JobRun_one_running_per_key" makes this a rule of the database: two instances claiming two jobs
 * of one key at the same moment cannot both succeed; the loser gets null and tries again. A job
 * waiting for its retry (queued again after an attempt) still holds its key against jobs that never
 * started: its work (a sync run) is half done, and a new job of the key must not start beside it.
 */
export async function claimJob(owner: string, leaseMs: number, functionIds: string[]): Promise<ClaimedJob | null> {
  try {
    const rows = await sqlRows<ClaimedJob & { waitedSeconds: number }>(
      sql`
      UPDATE "JobRun" SET status = 'RUNNING', "leaseUntil" = now() + ${`${leaseMs} milliseconds`}::interval, attempts = attempts + 1,
        "leaseOwner" = ${owner}, "leaseToken" = gen_random_uuid()
      WHERE id = (
        SELECT j.id FROM "JobRun" j
        WHERE ((j.status = 'QUEUED' AND j."runAfter" <= now()) OR (j.status = 'RUNNING' AND j."leaseUntil" < now()))
          AND j."functionId" = ANY(${functionIds}::text[])
          AND (j."concurrencyKey" IS NULL OR NOT EXISTS (
            SELECT 1 FROM "JobRun" r WHERE r."concurrencyKey" = j."concurrencyKey" AND r.id <> j.id
              AND (r.status = 'RUNNING' OR (r.status = 'QUEUED' AND r.attempts > 0 AND j.attempts = 0))))
        ORDER BY j."runAfter", j."createdAt"
        LIMIT 1
        FOR UPDATE SKIP LOCKED)
      RETURNING id::text AS id, "functionId", "eventName", "eventData", attempts, "leaseToken"::text AS token,
        extract(epoch FROM now() - "runAfter")::float8 AS "waitedSeconds"`,
      { kind: "point" },
    );
    const claimed = rows[0];
    if (!claimed) return null;
    // Pickup latency: from due to claimed, on the first attempt (a retry's wait is its backoff).
    if (claimed.attempts === 1) metrics().jobPickup.observe({ function: claimed.functionId }, Math.max(0, claimed.waitedSeconds));
    const { waitedSeconds: _waited, ...job } = claimed;
    return job;
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

/** Extends the lease; false when the job is no longer this execution's (taken over, or closed). */
export async function renewLease(fence: Fence, leaseMs: number): Promise<boolean> {
  const renewed = await sqlExecute(
    sql`
    UPDATE "JobRun" SET "leaseUntil" = now() + ${`${leaseMs} milliseconds`}::interval
    WHERE id = ${fence.jobId}::uuid AND "leaseToken" = ${fence.token}::uuid AND status = 'RUNNING'`,
    { kind: "point" },
  );
  return renewed === 1;
}

export async function finishedStep(jobId: string, stepId: string): Promise<{ output: unknown } | null> {
  return db().jobStep.findUnique({ where: { runId_stepId: { runId: jobId, stepId } }, select: { output: true } });
}

/** Records a step's output, only while the fence holds. */
export async function recordStep(fence: Fence, stepId: string, output: unknown): Promise<void> {
  const json = output === undefined ? null : JSON.stringify(output);
  const recorded = await sqlExecute(
    sql`
    INSERT INTO "JobStep" ("runId", "stepId", output)
    SELECT ${fence.jobId}::uuid, ${stepId}, ${json}::jsonb WHERE ${fenceHolds(fence)}
    ON CONFLICT ("runId", "stepId") DO UPDATE SET output = EXCLUDED.output`,
    { kind: "point" },
  );
  if (recorded !== 1) throw new LeaseLostError(fence.jobId);
}

type Closing = { status: "COMPLETED" } | { status: "FAILED"; error: string } | { status: "QUEUED"; error: string; delayMs: number };

/** Closes the execution (completed, failed, or queued for a retry); false when it no longer held the job. */
export async function closeJob(fence: Fence, closing: Closing): Promise<boolean> {
  const error = closing.status === "COMPLETED" ? null : closing.error.slice(0, 2000);
  const retry = closing.status === "QUEUED";
  const closed = await sqlExecute(
    sql`
    UPDATE "JobRun" SET status = ${closing.status}::"JobRunStatus", "leaseUntil" = NULL, "leaseToken" = NULL, error = ${error},
      "finishedAt" = ${retry ? sql`NULL` : sql`now()`},
      "runAfter" = ${retry ? sql`now() + ${`${Math.round(closing.delayMs)} milliseconds`}::interval` : sql`"runAfter"`}
    WHERE id = ${fence.jobId}::uuid AND "leaseToken" = ${fence.token}::uuid AND status = 'RUNNING'`,
    { kind: "point" },
  );
  return closed === 1;
}

/**
 * Runs a feature's writes (a sync's buffered links and operation rows) so that an execution that
 * lost its lease writes none of them: in one transaction whose first statement checks the fence
 * and share-locks the job's row, so a takeover waits for the commit and the writes never land
 * after it. Outside an in-process job (under Inngest, a direct call) there is no fence: `write`
 * gets no transaction and runs as is.
 */
export async function writeUnderLease<T>(write: (tx: DbTx | undefined) => Promise<T>, fence = currentFence()): Promise<T> {
  if (!fence) return write(undefined);
  // A batch of a few hundred rows on a loaded database may take longer than Prisma's default 5 s
  // for an interactive transaction; a timeout here would fail the step, not protect anything.
  return db().$transaction(async (tx) => {
    const held = await sqlRows<{ held: number }>(sql`SELECT 1 AS held WHERE ${fenceHolds(fence)}`, { kind: "point", tx });
    if (!held.length) {
      noteLeaseLost();
      throw new LeaseLostError(fence.jobId);
    }
    return write(tx);
  }, WRITE_TRANSACTION);
}

const WRITE_TRANSACTION = { maxWait: 30_000, timeout: 120_000 };
