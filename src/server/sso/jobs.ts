import type { JobRegistry } from "../jobs/definition";
import { METADATA_REFRESH_TICK_MS, refreshDueMetadata } from "./metadata-refresh";

/** SSO's share of the in-process runner: the hourly look for IdP metadata URLs due their daily read. */
export const ssoJobs: JobRegistry = {
  definitions: [],
  periodic: [{ name: "sso-metadata-refresh", everyMs: METADATA_REFRESH_TICK_MS, run: () => refreshDueMetadata() }],
};
