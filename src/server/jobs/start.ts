import { inngestSettings } from "./settings";
import type { JobRegistry } from "./definition";
import { startRunner } from "./runner";

const globalForJobs = globalThis as unknown as { jobsStarted?: boolean };

/** Called from instrumentation.ts with the app's jobs: on the embedded default, starts the in-process runner once. */
export function startEmbeddedJobs(registry: JobRegistry): void {
  if (globalForJobs.jobsStarted || inngestSettings().mode === "inngest") return;
  globalForJobs.jobsStarted = true;
  startRunner({ registry });
}
