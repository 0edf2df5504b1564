/** The settings SCIM Export reads, from the validated env. */
export { allowPrivateTargets } from "../env";

/** Where jobs run is the jobs' setting (jobs/settings.ts); re-exported for the CLI and older callers. */
export { inngestSettings } from "../jobs/settings";
