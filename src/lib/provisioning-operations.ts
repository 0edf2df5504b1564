/**
 * What a SCIM Import request did, in the words the Provisioning events page shows and filters by.
 * Shared by the server that records events and the page's filter.
 */
export const PROVISIONING_OPERATIONS = [
  "user created",
  "user updated",
  "user deactivated",
  "user reactivated",
  "user deleted",
  "group created",
  "group renamed",
  "group members added",
  "group members removed",
  "group members changed",
  "group updated",
  "group deleted",
  "bulk",
  "lookup",
  "list",
  "discovery",
  "error",
] as const;

export type ProvisioningOperation = (typeof PROVISIONING_OPERATIONS)[number];
