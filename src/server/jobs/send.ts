/**
 * Dispatch: where Inngest is configured, events go to Inngest (which calls /api/inngest); on the
 * embedded default they become JobRun rows for the in-process runner. One code path for the sync.
 */
import { inngestSettings } from "../scim-export/settings";
import { directoryChanged, syncRequested, type SyncRequestedData } from "./events";

export type { SyncRequestedData };

export async function sendSyncRequested(data: SyncRequestedData): Promise<void> {
  if (inngestSettings().mode === "inngest") {
    const { inngest } = await import("./client");
    await inngest.send({ name: syncRequested.name, data });
    return;
  }
  const { enqueueJob } = await import("./runner");
  await enqueueJob("scim-export-sync", syncRequested.name, data, { concurrencyKey: `profile:${data.profileId}` });
}

/**
 * For writers of the directory (SCIM Import): tells the change-triggered sync right away. On the
 * embedded default the runner also polls the change feed, so calling this is optional there.
 */
export async function notifyDirectoryChanged(data: { tenantId: string }): Promise<void> {
  if (inngestSettings().mode === "inngest") {
    const { inngest } = await import("./client");
    await inngest.send({ name: directoryChanged.name, data });
    return;
  }
  const { enqueueJob, runnerTuning } = await import("./runner");
  await enqueueJob("scim-export-directory-changed", directoryChanged.name, data, { concurrencyKey: `changes:${data.tenantId}`, debounceMs: runnerTuning.debounceMs });
}
