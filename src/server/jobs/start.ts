import { inngestSettings } from "../scim-export/settings";
import { startJobRunner } from "./runner";

const globalForJobs = globalThis as unknown as { jobsStarted?: boolean };

/** Called from instrumentation.ts: on the embedded default, starts the in-process runner once. */
export function startEmbeddedJobs(): void {
  if (globalForJobs.jobsStarted || inngestSettings().mode === "inngest") return;
  globalForJobs.jobsStarted = true;
  startJobRunner();
}
