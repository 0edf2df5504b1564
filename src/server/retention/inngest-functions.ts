import { cron } from "inngest";
import { inngest } from "../jobs/client";
import { RETENTION_TASK } from "./jobs";
import { pruneAll } from "./prune";

/** Daily at 03:17 UTC on Inngest: the same pruning the in-process runner ticks once a day. */
export const retentionFunction = inngest.createFunction({ id: RETENTION_TASK, triggers: [cron("17 3 * * *")] }, async ({ step }) =>
  step.run("prune", () => pruneAll()),
);
