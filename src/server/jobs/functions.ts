/**
 * The Inngest functions, served at /api/inngest where Inngest is configured. The same handlers
 * run in-process on the embedded default (runner.ts).
 */
import { cron, NonRetriableError } from "inngest";
import { inngest } from "./client";
import { directoryChanged, syncRequested } from "./events";
import { handleSyncFailed, handleSyncRequested, queueChangedProfiles, queueDueProfiles } from "../scim-export/jobs";
import type { StepRunner } from "./step";

/** One sync at a time per profile; each stage is a step, so a retry resumes at the failed stage. */
export const syncRequestedFunction = inngest.createFunction(
  {
    id: "scim-export-sync",
    triggers: [syncRequested],
    concurrency: { key: "event.data.profileId", limit: 1 },
    retries: 4,
    onFailure: async ({ event, error }) => handleSyncFailed((event.data as { event: { data: Parameters<typeof handleSyncFailed>[0] } }).event.data, error),
  },
  async ({ event, step }) => {
    if (!event.data?.runId) throw new NonRetriableError("scim-export/sync.requested without a runId");
    return handleSyncRequested({ event, step: step as unknown as StepRunner });
  },
);

/** Every minute: queue the profiles whose schedule is due. */
export const schedulerFunction = inngest.createFunction({ id: "scim-export-scheduler", triggers: [cron("* * * * *")] }, async ({ step }) =>
  step.run("queue-due-profiles", () => queueDueProfiles()),
);

/** A burst of directory changes of one tenant becomes one sync, a few seconds after the last change. */
export const directoryChangedFunction = inngest.createFunction(
  { id: "scim-export-directory-changed", triggers: [directoryChanged], debounce: { key: "event.data.tenantId", period: "3s" } },
  async ({ event, step }) => step.run("queue-changed-profiles", () => queueChangedProfiles(event.data)),
);

export const functions = [syncRequestedFunction, schedulerFunction, directoryChangedFunction];
