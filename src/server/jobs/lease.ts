/**
 * The lease of one in-process job execution, as its handler and the code it calls see it:
 * - the fence, a SQL condition true only while this execution still holds the job (its fencing
 *   token is the job's current one), for the writes that must not happen after a takeover
 *   (step records, finishing a run);
 * - the signal, aborted when a heartbeat finds the lease lost, so the execution stops at its next
 *   request instead of racing the instance that took over.
 * The current execution is carried by AsyncLocalStorage, so deep code (the SCIM client's send)
 * can stop without every function passing it along.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { Prisma } from "@/generated/prisma/client";

const { sql } = Prisma;

export type Fence = { jobId: string; token: string };

/** Thrown where an execution finds it no longer holds its job: another instance took it over. */
export class LeaseLostError extends Error {
  constructor(readonly jobId: string) {
    super(`The lease of job ${jobId} was lost (another instance took the job over): this execution stops without recording anything more.`);
    this.name = "LeaseLostError";
  }
}

/**
 * True while the job's current fencing token is this one and it runs. FOR SHARE: a takeover
 * (which updates the row) waits until the statement guarded by it has committed, so the write
 * and the takeover never interleave.
 */
export function fenceHolds(fence: Fence): Prisma.Sql {
  return sql`EXISTS (SELECT 1 FROM "JobRun" fence WHERE fence.id = ${fence.jobId}::uuid AND fence."leaseToken" = ${fence.token}::uuid AND fence.status = 'RUNNING' FOR SHARE)`;
}

export type Lease = { fence: Fence; signal: AbortSignal; lost?: boolean };

const current = new AsyncLocalStorage<Lease>();

export function withLease<T>(lease: Lease, fn: () => Promise<T>): Promise<T> {
  return current.run(lease, fn);
}

/** The fence of the in-process job execution this code runs in, if any (none under Inngest or outside a job). */
export function currentFence(): Fence | undefined {
  return current.getStore()?.fence;
}

/**
 * Notes that a fenced write found the lease gone: the execution's other workers (a stage sends
 * several requests at once) stop at their next request too, not only once a heartbeat notices.
 */
export function noteLeaseLost(): void {
  const lease = current.getStore();
  if (lease) lease.lost = true;
}

/** Throws LeaseLostError when the execution this code runs in has lost its lease. */
export function assertLeaseHeld(): void {
  const lease = current.getStore();
  if (lease && (lease.lost || lease.signal.aborted)) throw new LeaseLostError(lease.fence.jobId);
}
