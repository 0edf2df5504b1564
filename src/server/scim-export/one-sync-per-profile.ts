/**
 * One thing at a time writes to a profile's target: a sync or a Provision on Demand.
 *
 * In-process, the runner's key does it (a unique index allows one RUNNING job per key, and
 * Provision on Demand holds the key as a job: jobs/held-job.ts). Under Inngest, its concurrency
 * limit counts executing steps, not runs (https://www.inngest.com/docs/guides/concurrency):
 * between two steps of a running sync, a step of another run of the profile may execute, and
 * Provision on Demand (a web request) is no Inngest function at all. So the sync's "start" step
 * and Provision on Demand pass this gate: a transaction-scoped advisory lock of the profile, then
 * the check, then the start (the run set RUNNING, or the hold inserted) in the same transaction.
 * A sync that finds the profile busy starts nothing; the function sleeps and tries again under a
 * new step id (a memoized step never runs twice). Provision on Demand finding it busy is refused.
 *
 * A Provision on Demand whose server died leaves its hold with a lease that expires; whoever
 * passes the gate next releases it and closes its run, so a dead server never blocks the profile.
 */
import { Prisma } from "@/generated/prisma/client";
import { db, type DbTx } from "../db";
import { sqlExecute } from "../db/sql";
import { holdIsLive, releaseExpiredHolds } from "../jobs/held-job";
import type { StepRunner } from "../jobs/step";
import type { SyncRequestedData } from "../jobs/events";
import { profileKey, PROVISION_ON_DEMAND_FUNCTION_ID } from "./job-ids";

const { sql } = Prisma;

/** The message of a Provision on Demand run whose server stopped while it ran. */
export const PROVISIONING_INTERRUPTED = "Provision on Demand was interrupted: the server stopped while it ran. Run it again.";

const provisioningHold = (profileId: string) => ({ functionId: PROVISION_ON_DEMAND_FUNCTION_ID, concurrencyKey: profileKey(profileId) });

/** Takes the profile's gate (until the transaction ends) and releases Provision on Demand holds left by dead servers. */
async function enterGate(tx: DbTx, profileId: string): Promise<void> {
  await sqlExecute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`export-target:${profileId}`}, 0))`, { kind: "point", tx });
  for (const data of await releaseExpiredHolds(tx, provisioningHold(profileId))) {
    const runId = (data as Partial<SyncRequestedData> | null)?.runId;
    if (!runId) continue;
    await tx.exportRun.updateMany({
      where: { id: runId, status: "RUNNING" },
      data: { status: "FAILED", phase: "done", finishedAt: new Date(), message: PROVISIONING_INTERRUPTED },
    });
  }
}

/** Provision on Demand's admission (in the transaction that inserts its hold): refused while any run of the profile runs. */
export async function admitProvisioning(tx: DbTx, profileId: string): Promise<boolean> {
  await enterGate(tx, profileId);
  return (await tx.exportRun.count({ where: { profileId, status: "RUNNING" } })) === 0;
}

/**
 * Starts a sync run outside the in-process runner (under Inngest, or inline): `start` (the run set
 * RUNNING) happens only while no other run of the profile runs and no Provision on Demand holds it.
 */
export async function startUnlessProfileBusy(
  data: SyncRequestedData,
  start: (tx: DbTx) => Promise<boolean>,
): Promise<{ proceed: boolean; busy?: true }> {
  return db().$transaction(async (tx) => {
    await enterGate(tx, data.profileId);
    const others = await tx.exportRun.count({ where: { profileId: data.profileId, status: "RUNNING", id: { not: data.runId } } });
    if (others > 0 || (await holdIsLive(tx, provisioningHold(data.profileId)))) return { proceed: false, busy: true as const };
    return { proceed: await start(tx) };
  });
}

/** The id runExportSync gives the step that moves the run from QUEUED to RUNNING. */
const START_STEP = "start";

/**
 * The step runner for attempt `wait` (0 first) of an Inngest sync: its start step gets a new id
 * per attempt, and `busy()` tells whether the start found the profile busy (startUnlessProfileBusy).
 */
export function startWhenProfileFree(step: StepRunner, wait: number): { steps: StepRunner; busy: () => boolean } {
  let busy = false;
  const steps: StepRunner = {
    async run<T>(id: string, fn: () => Promise<T>): Promise<unknown> {
      if (id !== START_STEP) return step.run(id, fn);
      const result = await step.run(wait === 0 ? id : `${id}-after-wait-${wait}`, fn);
      // Read from the (possibly memoized) result, so that a replay decides as the first call did.
      busy = (result as { busy?: boolean } | null)?.busy === true;
      return result;
    },
  };
  return { steps, busy: () => busy };
}
