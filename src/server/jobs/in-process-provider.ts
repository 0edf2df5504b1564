/**
 * Jobs in-process: each request is a JobRun row that the durable runner (runner.ts) claims. The
 * runner is imported on first use: it loads the job handlers, which import SCIM Export, which
 * queues syncs through this provider.
 */
import { syncRequested } from "./events";
import type { JobProvider } from "./provider";

export const inProcessProvider: JobProvider = {
  kind: "in-process",
  async requestSync(data) {
    const { enqueueJob } = await import("./runner");
    await enqueueJob("scim-export-sync", syncRequested.name, data, { concurrencyKey: `profile:${data.profileId}` });
  },
  async directoryChanged() {
    // Nothing to send: the runner polls the change feed itself, which sees every committed change
    // (console, SCIM Import, CLI) whichever instance made it.
  },
};
