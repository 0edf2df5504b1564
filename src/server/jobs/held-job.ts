/**
 * Work done right here (in a web request) under a job's concurrency key, as if a runner had
 * claimed it: a RUNNING JobRun row with a lease and a fencing token, renewed while the work goes.
 * The unique partial index on RUNNING keys refuses it while another job of the key runs, and jobs
 * of the key wait for it. Should this process die, the lease expires and a runner claims the row:
 * the job definition of `functionId` then closes what the work left open.
 */
import { hostname } from "node:os";
import { Prisma } from "@/generated/prisma/client";
import { db } from "../db";
import { isUniqueViolation } from "../errors";
import { logInternalError } from "../http/internal-error";
import { closeJob, renewLease } from "./job-store";
import { withLease, type Fence } from "./lease";
import { runnerTuning } from "./runner";

const { sql } = Prisma;

export type HeldJob<T> = { held: true; value: T } | { held: false };

export async function runHeldJob<T>(
  job: { functionId: string; eventName: string; data: object; concurrencyKey: string },
  work: (fence: Fence) => Promise<T>,
): Promise<HeldJob<T>> {
  const { leaseMs, heartbeatMs } = runnerTuning();
  const owner = `${hostname()}:${process.pid}`;
  let fence: Fence;
  try {
    const rows = await db().$queryRaw<{ id: string; token: string }[]>(sql`
      INSERT INTO "JobRun" (id, "functionId", "eventName", "eventData", "concurrencyKey", status, attempts, "leaseUntil", "leaseOwner", "leaseToken")
      VALUES (gen_random_uuid(), ${job.functionId}, ${job.eventName}, ${JSON.stringify(job.data)}::jsonb, ${job.concurrencyKey}, 'RUNNING', 1,
        now() + ${`${leaseMs} milliseconds`}::interval, ${owner}, gen_random_uuid())
      RETURNING id::text AS id, "leaseToken"::text AS token`);
    fence = { jobId: rows[0]!.id, token: rows[0]!.token };
  } catch (error) {
    if (isUniqueViolation(error)) return { held: false };
    throw error;
  }
  const where = `Held job ${fence.jobId} (${job.functionId})`;
  const lost = new AbortController();
  const heartbeat = setInterval(() => {
    renewLease(fence, leaseMs)
      .then((held) => held || lost.abort())
      .catch((error) => logInternalError(`${where}: renewing the lease`, error));
  }, heartbeatMs);
  try {
    const value = await withLease({ fence, signal: lost.signal }, () => work(fence));
    await closeJob(fence, { status: "COMPLETED" });
    return { held: true, value };
  } catch (error) {
    await closeJob(fence, { status: "FAILED", error: error instanceof Error ? error.message : String(error) }).catch((e) =>
      logInternalError(`${where}: closing`, e),
    );
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
}
