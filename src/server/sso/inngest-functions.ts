/**
 * SSO's jobs as Inngest functions, served at /api/inngest where Inngest is configured; the same
 * work runs in-process on the embedded default (`ssoJobs` in ./jobs.ts).
 */
import { cron } from "inngest";
import { inngest } from "../jobs/client";
import { refreshDueMetadata } from "./metadata-refresh";

/** Every hour: read again the IdP metadata URLs last read a day ago or more. */
export const metadataRefreshFunction = inngest.createFunction(
  { id: "sso-metadata-refresh", triggers: [cron("23 * * * *")] },
  async ({ step }) => step.run("refresh-due-metadata", () => refreshDueMetadata()),
);

export const ssoFunctions = [metadataRefreshFunction];
