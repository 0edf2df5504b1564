/**
 * Words and colours for the SCIM Export enums. Keys are matched case-insensitively and anything
 * unknown falls back to a humanised form of the value, so a new engine state still reads well.
 */

type Label = { label: string; color: string };

function humanise(value: string): string {
  const words = value.replace(/[_-]+/g, " ").toLowerCase().trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function lookup(table: Record<string, Label>, value: string | null | undefined, fallbackColor = "gray"): Label {
  if (!value) return { label: "—", color: fallbackColor };
  return (
    table[value.toUpperCase()] ?? table[value.toUpperCase().replace(/[ .-]/g, "_")] ?? { label: humanise(value), color: fallbackColor }
  );
}

const profileTypes: Record<string, Label> = {
  DATABRICKS: { label: "Databricks", color: "orange" },
  SCIM: { label: "SCIM 2.0", color: "blue" },
  GENERIC: { label: "SCIM 2.0", color: "blue" },
  GENERIC_SCIM: { label: "SCIM 2.0", color: "blue" },
  SCIM2: { label: "SCIM 2.0", color: "blue" },
};
export const profileTypeLabel = (v: string | null | undefined) => lookup(profileTypes, v);

const profileStatuses: Record<string, Label> = {
  NOT_CONFIGURED: { label: "Not configured", color: "gray" },
  DRAFT: { label: "Not configured", color: "gray" },
  ACTIVE: { label: "Active", color: "green" },
  READY: { label: "Ready", color: "green" },
  PAUSED: { label: "Paused", color: "yellow" },
  DISABLED: { label: "Disabled", color: "gray" },
  QUARANTINED: { label: "Quarantined", color: "red" },
  NEEDS_CONFIRMATION: { label: "Waiting for confirmation", color: "yellow" },
  RUNNING: { label: "Syncing", color: "blue" },
  NEVER_SYNCED: { label: "Never synced", color: "gray" },
  HEALTHY: { label: "Healthy", color: "green" },
  WARNING: { label: "Last sync had errors", color: "orange" },
  FAILED: { label: "Last sync failed", color: "red" },
};
export const profileStatusLabel = (v: string | null | undefined) => lookup(profileStatuses, v);

const runStatuses: Record<string, Label> = {
  QUEUED: { label: "Queued", color: "gray" },
  PENDING: { label: "Queued", color: "gray" },
  RUNNING: { label: "Running", color: "blue" },
  SUCCEEDED: { label: "Succeeded", color: "green" },
  SUCCESS: { label: "Succeeded", color: "green" },
  COMPLETED: { label: "Succeeded", color: "green" },
  PARTIAL: { label: "Completed with errors", color: "orange" },
  COMPLETED_WITH_ERRORS: { label: "Completed with errors", color: "orange" },
  FAILED: { label: "Failed", color: "red" },
  CANCELLED: { label: "Cancelled", color: "gray" },
  CANCELED: { label: "Cancelled", color: "gray" },
  WAITING_CONFIRMATION: { label: "Waiting for confirmation", color: "yellow" },
  NEEDS_CONFIRMATION: { label: "Waiting for confirmation", color: "yellow" },
  AWAITING_CONFIRMATION: { label: "Waiting for confirmation", color: "yellow" },
};
export const runStatusLabel = (v: string | null | undefined) => lookup(runStatuses, v);

/** A run is live while it may still change: the console polls it. */
export function isRunLive(status: string | null | undefined): boolean {
  return !!status && ["QUEUED", "PENDING", "RUNNING"].includes(status.toUpperCase());
}

export function needsConfirmation(status: string | null | undefined): boolean {
  return !!status && ["WAITING_CONFIRMATION", "NEEDS_CONFIRMATION", "AWAITING_CONFIRMATION"].includes(status.toUpperCase());
}

const triggers: Record<string, Label> = {
  MANUAL: { label: "Sync (manual)", color: "indigo" },
  SYNC: { label: "Sync (manual)", color: "indigo" },
  ON_DEMAND: { label: "Provision on demand", color: "violet" },
  PROVISION_ON_DEMAND: { label: "Provision on demand", color: "violet" },
  SCHEDULE: { label: "Schedule", color: "gray" },
  SCHEDULED: { label: "Schedule", color: "gray" },
  CHANGE: { label: "Directory change", color: "teal" },
  CHANGE_TRIGGERED: { label: "Directory change", color: "teal" },
  CLI: { label: "Command line", color: "gray" },
};
export const triggerLabel = (v: string | null | undefined) => lookup(triggers, v);

const actions: Record<string, Label> = {
  USER_CREATED: { label: "User created", color: "green" },
  USER_CREATE: { label: "User created", color: "green" },
  USER_ADOPTED: { label: "User matched", color: "teal" },
  USER_MATCHED: { label: "User matched", color: "teal" },
  USER_UPDATED: { label: "User updated", color: "blue" },
  USER_UPDATE: { label: "User updated", color: "blue" },
  USER_DEACTIVATED: { label: "User deactivated", color: "orange" },
  USER_DEACTIVATE: { label: "User deactivated", color: "orange" },
  USER_REACTIVATED: { label: "User reactivated", color: "green" },
  USER_DELETED: { label: "User deleted", color: "red" },
  USER_DELETE: { label: "User deleted", color: "red" },
  USER_SKIPPED: { label: "User skipped", color: "gray" },
  SKIPPED: { label: "Skipped", color: "gray" },
  GROUP_CREATED: { label: "Group created", color: "green" },
  GROUP_CREATE: { label: "Group created", color: "green" },
  GROUP_ADOPTED: { label: "Group matched", color: "teal" },
  GROUP_MATCHED: { label: "Group matched", color: "teal" },
  GROUP_RENAMED: { label: "Group renamed", color: "blue" },
  GROUP_UPDATED: { label: "Group updated", color: "blue" },
  GROUP_DELETED: { label: "Group deleted", color: "red" },
  MEMBERS_ADDED: { label: "Members added", color: "green" },
  GROUP_MEMBERS_ADDED: { label: "Members added", color: "green" },
  MEMBERS_REMOVED: { label: "Members removed", color: "orange" },
  GROUP_MEMBERS_REMOVED: { label: "Members removed", color: "orange" },
  GROUP_SKIPPED: { label: "Group skipped", color: "gray" },
};
/** An operation's label from its object type and action ("USER" + "created" → "User created"). */
export const operationLabel = (objectType: string, action: string) => {
  const key = `${objectType}_${action}`.toUpperCase().replace(/[ .-]/g, "_");
  return (
    actions[key] ??
    actions[action.toUpperCase().replace(/[ .-]/g, "_")] ?? { label: `${humanise(objectType)} ${action.replace(/_/g, " ")}`, color: "gray" }
  );
};

const results: Record<string, Label> = {
  SUCCESS: { label: "Success", color: "green" },
  SUCCEEDED: { label: "Success", color: "green" },
  OK: { label: "Success", color: "green" },
  ERROR: { label: "Error", color: "red" },
  FAILED: { label: "Error", color: "red" },
  FAILURE: { label: "Error", color: "red" },
  SKIPPED: { label: "Skipped", color: "gray" },
  RETRIED: { label: "Retried", color: "yellow" },
};
export const resultLabel = (v: string | null | undefined) => lookup(results, v);

const leaveScope: Record<string, Label> = {
  DEACTIVATE: { label: "Deactivate the user in the target", color: "orange" },
  DISABLE: { label: "Deactivate the user in the target", color: "orange" },
  DELETE: { label: "Delete the user from the target", color: "red" },
};
export const leaveScopeLabel = (v: string | null | undefined) => lookup(leaveScope, v);

const phases: Record<string, Label> = {
  QUEUED: { label: "Waiting to start", color: "gray" },
  LOADING: { label: "Reading the directory", color: "blue" },
  LOAD: { label: "Reading the directory", color: "blue" },
  PLANNING: { label: "Working out the changes", color: "blue" },
  PLAN: { label: "Working out the changes", color: "blue" },
  MATCHING: { label: "Matching existing remote users", color: "blue" },
  "READING THE TARGET": { label: "Reading the target back", color: "blue" },
  USERS: { label: "Provisioning users", color: "blue" },
  GROUPS: { label: "Provisioning groups", color: "blue" },
  MEMBERSHIPS: { label: "Updating group memberships", color: "blue" },
  MEMBERS: { label: "Updating group memberships", color: "blue" },
  DEPROVISION: { label: "Deactivating users who left scope", color: "blue" },
  DEPROVISIONING: { label: "Deactivating users who left scope", color: "blue" },
  "READING DIRECTORY": { label: "Reading the directory", color: "blue" },
  LEAVERS: { label: "Handling users who left scope", color: "blue" },
  FINISHING: { label: "Finishing", color: "blue" },
  DONE: { label: "Done", color: "green" },
};
export const phaseLabel = (v: string | null | undefined) => lookup(phases, v, "blue");

/** A run's name in lists and titles: its trigger, and the user when it provisioned only one ("Provision on demand: alice@example.com"). */
export function runTitle(run: { trigger: string; subject: string | null }): string {
  const trigger = triggerLabel(run.trigger).label;
  return run.subject ? `${trigger}: ${run.subject}` : trigger;
}

/** The colour of a run's outcome sentence: red when it failed, orange with errors, yellow when it waits for the admin. */
export function outcomeColor(status: string | null | undefined): string {
  switch (status?.toUpperCase()) {
    case "FAILED":
      return "red";
    case "PARTIAL":
      return "orange";
    case "NEEDS_CONFIRMATION":
      return "yellow";
    case "SUCCEEDED":
      return "green";
    default:
      return "gray";
  }
}

/**
 * What an empty operations list means for a run of this status. Only a run that succeeded may say
 * the target was already up to date: a failed one changed nothing because it stopped.
 */
export function noOperationsText(status: string | null | undefined): string {
  switch (status?.toUpperCase()) {
    case "SUCCEEDED":
      return "This run changed nothing in the target: everything was already up to date.";
    case "FAILED":
      return "No operation was logged: the run failed before it changed anything in the target (the reason is above).";
    case "QUEUED":
    case "RUNNING":
      return "No operation yet: the run is still reading and comparing.";
    case "NEEDS_CONFIRMATION":
      return "Nothing was changed: the run waits for your confirmation.";
    case "CANCELLED":
      return "Nothing was changed: the run was cancelled or skipped (the reason is above).";
    default:
      return "No operation was logged for this run.";
  }
}
