/** The settings SCIM Export reads, from the validated env. */
import { serverEnv } from "../env";

export function allowPrivateTargets(): boolean {
  // serverEnv() fails without DATABASE_URL etc.; pure code paths (unit tests, the emulator) fall back to process.env.
  try {
    return serverEnv().ALLOW_PRIVATE_TARGETS;
  } catch {
    return process.env.ALLOW_PRIVATE_TARGETS === "true";
  }
}

/** Where jobs run is the jobs' setting (jobs/settings.ts); re-exported for the CLI and older callers. */
export { inngestSettings, type InngestSettings } from "../jobs/settings";
