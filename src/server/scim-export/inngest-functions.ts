/**
 * SCIM Export's jobs as Inngest functions, served at /api/inngest where Inngest is configured
 * (src/app/api/inngest/route.ts). The same handlers run in-process on the embedded default
 * (`exportJobs` in ./jobs.ts).
 */
import { cron, NonRetriableError } from "inngest";
import { inngest } from "../jobs/client";
import { directoryChanged, syncRequested } from "../jobs/events";
import { startWhenProfileFree } from "./one-sync-per-profile";
import { handleSyncFailed, handleSyncRequested, queueChangedProfiles, queueDueProfiles } from "./jobs";
import type { StepRunner } from "../jobs/step";

/** Between two looks at a profile whose other sync still runs; the look and the sleep are two steps of Inngest's 1,000. */
const BUSY_WAIT = "10s";
const MAX_BUSY_WAITS = 360;

/**
 * One sync at a time per profile: the concurrency key serialises the profile's steps, and the start
 * step waits out another running sync (one-sync-per-profile.ts). Each stage is a step, so a retry
 * resumes at the failed stage.
 */
const syncRequestedFunction = inngest.createFunction(
  {
    id: "scim-export-sync",
    triggers: [syncRequested],
    concurrency: { key: "event.data.profileId", limit: 1 },
    retries: 4,
    onFailure: async ({ event, error }) =>
      handleSyncFailed((event.data as { event: { data: Parameters<typeof handleSyncFailed>[0] } }).event.data, error),
  },
  async ({ event, step, runId, attempt: retry }) => {
    if (!event.data?.runId) throw new NonRetriableError("scim-export/sync.requested without a runId");
    for (let wait = 0; wait <= MAX_BUSY_WAITS; wait++) {
      const attempt = startWhenProfileFree(step as unknown as StepRunner, wait);
      // Inngest's run id names this execution, so startRun refuses an export run another execution holds.
      const outcome = await handleSyncRequested({ event, step: attempt.steps, execution: { id: runId, attempt: retry } });
      if (!attempt.busy()) return outcome;
      await step.sleep(`profile-busy-${wait}`, BUSY_WAIT);
    }
    throw new NonRetriableError(
      `Another sync of profile ${event.data.profileId} kept running for an hour; run ${event.data.runId} was not started`,
    );
  },
);

/** Every minute: queue the profiles whose schedule is due. */
const schedulerFunction = inngest.createFunction({ id: "scim-export-scheduler", triggers: [cron("* * * * *")] }, async ({ step }) =>
  step.run("queue-due-profiles", () => queueDueProfiles()),
);

/**
 * A burst of directory changes of one tenant becomes one sync, a few seconds after the last change;
 * a steady stream of changes (a long import) still gets one every 10 s, as the in-process runner's
 * debounce (at most 3 periods) does.
 */
const directoryChangedFunction = inngest.createFunction(
  {
    id: "scim-export-directory-changed",
    triggers: [directoryChanged],
    debounce: { key: "event.data.tenantId", period: "3s", timeout: "10s" },
  },
  async ({ event, step }) => step.run("queue-changed-profiles", () => queueChangedProfiles(event.data)),
);

export const exportFunctions = [syncRequestedFunction, schedulerFunction, directoryChangedFunction];
