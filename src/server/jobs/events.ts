/** The typed events of the app's jobs, declared once (Inngest and the in-process runner share them). */
import { eventType, staticSchema } from "inngest";

export type SyncRequestedData = { tenantId: string; profileId: string; runId: string };
export type DirectoryChangedData = { tenantId: string };

/** A sync run was queued (Sync button, schedule, change, CLI). */
export const syncRequested = eventType("scim-export/sync.requested", { schema: staticSchema<SyncRequestedData>() });
/** The directory of a tenant changed (console or SCIM Import); debounced into a change-triggered sync. */
export const directoryChanged = eventType("directory/changed", { schema: staticSchema<DirectoryChangedData>() });
