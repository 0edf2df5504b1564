/**
 * One running sync per profile under Inngest. Its concurrency limit counts executing steps, not
 * runs (https://www.inngest.com/docs/guides/concurrency): between two steps of a running sync, a
 * step of another run of the same profile may execute, so a second sync could start beside the
 * first. The limit does serialise the steps of one profile, so the sync's "start" step checks, in
 * the same step, that no other run of the profile is RUNNING; if one is, the run starts nothing and
 * the function sleeps and tries again under a new step id (a memoized step never runs twice).
 */
import { db } from "../db";
import type { StepRunner } from "../jobs/step";
import type { SyncRequestedData } from "../jobs/events";

/** The id runExportSync gives the step that moves the run from QUEUED to RUNNING. */
const START_STEP = "start";

async function anotherSyncRunning(data: SyncRequestedData): Promise<boolean> {
  return (await db().exportRun.count({ where: { profileId: data.profileId, status: "RUNNING", id: { not: data.runId } } })) > 0;
}

/** The step runner for attempt `wait` (0 first): its start step is skipped while the profile is busy. */
export function startWhenProfileFree(step: StepRunner, data: SyncRequestedData, wait: number): { steps: StepRunner; busy: () => boolean } {
  let busy = false;
  const steps: StepRunner = {
    async run<T>(id: string, fn: () => Promise<T>): Promise<unknown> {
      if (id !== START_STEP) return step.run(id, fn);
      const startOrWait = async () => ((await anotherSyncRunning(data)) ? { proceed: false, busy: true } : fn());
      const result = await step.run(wait === 0 ? id : `${id}-after-wait-${wait}`, startOrWait);
      // Read from the (possibly memoized) result, so that a replay decides as the first call did.
      busy = (result as { busy?: boolean } | null)?.busy === true;
      return result;
    },
  };
  return { steps, busy: () => busy };
}
