/** The names SCIM Export's jobs go by (jobs.ts declares them; the gate and Provision on Demand hold the profile's key). */
export const SYNC_FUNCTION_ID = "scim-export-sync";
export const DIRECTORY_CHANGED_FUNCTION_ID = "scim-export-directory-changed";
export const PROVISION_ON_DEMAND_FUNCTION_ID = "scim-export-provision-on-demand";

/** The concurrency key of everything that writes to a profile's target: syncs and Provision on Demand. */
export const profileKey = (profileId: string) => `profile:${profileId}`;
