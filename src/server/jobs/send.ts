/**
 * Dispatch: the one place that picks the job provider. Where Inngest is configured, events go to
 * Inngest (which calls /api/inngest); on the embedded default they become JobRun rows for the
 * in-process runner. One code path for the sync itself.
 */
import type { DirectoryChangedData, SyncRequestedData } from "./events";
import { inngestProvider } from "./inngest-provider";
import { inProcessProvider } from "./in-process-provider";
import type { JobProvider } from "./provider";
import { inngestSettings } from "./settings";

export type { SyncRequestedData };

function jobProvider(): JobProvider {
  return inngestSettings().mode === "inngest" ? inngestProvider : inProcessProvider;
}

/** Queues the sync of a QUEUED run. Throws when the provider did not take it (see scim-export/queue-run.ts). */
export function sendSyncRequested(data: SyncRequestedData): Promise<void> {
  return jobProvider().requestSync(data);
}

/** Tells the change-triggered sync that a tenant's directory changed (committed). Throws when not delivered. */
export function notifyDirectoryChanged(data: DirectoryChangedData): Promise<void> {
  return jobProvider().directoryChanged(data);
}
