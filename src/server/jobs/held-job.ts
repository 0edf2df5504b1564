/**
 * Work done right here (in a web request) under a job's concurrency key, as if a runner had
 * claimed it: a RUNNING JobRun row with a lease and a fencing token, renewed while the work goes.
 * The unique partial index on RUNNING keys refuses it while another job of the key runs, and jobs
 * of the key wait for it. The lease expires on its own when this process dies: the in-process
 * runner then claims the row (the job definition of `functionId` closes what the work left open),
 * and wherever no runner runs (under Inngest) the next holder of the key releases it first
 * (`releaseExpiredHolds`), so a dead server's hold never blocks the key for good.
 */
import { hostname } from "node:os";
import { Prisma } from "@/generated/prisma/client";
import { db, type DbTx } from "../db";
import { sqlRows } from "../db/sql";
import { isUniqueViolation } from "../errors";
import { logInternalError } from "../http/internal-error";
import { closeJob, renewLease } from "./job-store";
import { withLease, type Fence } from "./lease";
import { runnerTuning } from "./runner";

const { sql } = Prisma;

export type HeldJob<T> = { held: true; value: T } | { held: false };

type HeldJobSpec = { functionId: string; eventName: string; data: object; concurrencyKey: string };

/**
 * Holds the key and runs `work`. `admit` runs first, in the transaction that inserts the hold (a
 * feature's own rule, e.g. "no sync of the profile is running", checked under its lock): false
 * refuses the hold as a busy key does.
 */
export async function runHeldJob<T>(
  job: HeldJobSpec,
  work: (fence: Fence) => Promise<T>,
  admit?: (tx: DbTx) => Promise<boolean>,
): Promise<HeldJob<T>> {
  const { leaseMs, heartbeatMs } = runnerTuning();
  const owner = `${hostname()}:${process.pid}`;
  let fence: Fence | null;
  try {
    fence = await db().$transaction(async (tx) => {
      if (admit && !(await admit(tx))) return null;
      const rows = await sqlRows<{ id: string; token: string }>(
        sql`
        INSERT INTO "JobRun" (id, "functionId", "eventName", "eventData", "concurrencyKey", status, attempts, "leaseUntil", "leaseOwner", "leaseToken")
        VALUES (gen_random_uuid(), ${job.functionId}, ${job.eventName}, ${JSON.stringify(job.data)}::jsonb, ${job.concurrencyKey}, 'RUNNING', 1,
          now() + ${`${leaseMs} milliseconds`}::interval, ${owner}, gen_random_uuid())
        RETURNING id::text AS id, "leaseToken"::text AS token`,
        { kind: "point", tx },
      );
      return { jobId: rows[0]!.id, token: rows[0]!.token };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { held: false };
    throw error;
  }
  if (!fence) return { held: false };
  const held = fence;
  const where = `Held job ${held.jobId} (${job.functionId})`;
  const lost = new AbortController();
  const heartbeat = setInterval(() => {
    renewLease(held, leaseMs)
      .then((renewed) => renewed || lost.abort())
      .catch((error) => logInternalError(`${where}: renewing the lease`, error));
  }, heartbeatMs);
  try {
    const value = await withLease({ fence: held, signal: lost.signal }, () => work(held));
    await closeJob(held, { status: "COMPLETED" });
    return { held: true, value };
  } catch (error) {
    await closeJob(held, { status: "FAILED", error: error instanceof Error ? error.message : String(error) }).catch((e) =>
      logInternalError(`${where}: closing`, e),
    );
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * Closes the holds of `functionId` under `concurrencyKey` whose lease expired (their process died)
 * and returns their event data, so that the caller closes what they left open in the same
 * transaction. Atomic: a runner claiming one of them at the same moment gets it, or this does.
 */
export async function releaseExpiredHolds(tx: DbTx, hold: { functionId: string; concurrencyKey: string }): Promise<unknown[]> {
  const rows = await sqlRows<{ eventData: unknown }>(
    sql`
    UPDATE "JobRun" SET status = 'FAILED', "leaseUntil" = NULL, "leaseToken" = NULL, "finishedAt" = now(),
      error = 'The process holding it stopped (its lease expired); released by the next holder of the key.'
    WHERE "functionId" = ${hold.functionId} AND "concurrencyKey" = ${hold.concurrencyKey} AND status = 'RUNNING' AND "leaseUntil" < now()
    RETURNING "eventData"`,
    { kind: "point", tx },
  );
  return rows.map((r) => r.eventData);
}

/** Whether a live (unexpired) hold of `functionId` holds `concurrencyKey`. */
export async function holdIsLive(tx: DbTx, hold: { functionId: string; concurrencyKey: string }): Promise<boolean> {
  const rows = await sqlRows<{ live: number }>(
    sql`
    SELECT 1 AS live FROM "JobRun"
    WHERE "functionId" = ${hold.functionId} AND "concurrencyKey" = ${hold.concurrencyKey} AND status = 'RUNNING' AND "leaseUntil" >= now()
    LIMIT 1`,
    { kind: "point", tx },
  );
  return rows.length > 0;
}
