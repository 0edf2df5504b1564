/**
 * Dispatch: the one place that picks the job provider. Where Inngest is configured, events go to
 * Inngest (which calls /api/inngest); on the embedded default they become JobRun rows for the
 * in-process runner. One code path for the sync itself.
 */
import { db } from "../db";
import { logInternalError } from "../http/internal-error";
import type { DirectoryChangedData, SyncRequestedData } from "./events";
import { inngestProvider } from "./inngest-provider";
import { inProcessProvider } from "./in-process-provider";
import type { JobProvider } from "./provider";
import { inngestSettings } from "./settings";

export type { SyncRequestedData };

export function jobProvider(): JobProvider {
  return inngestSettings().mode === "inngest" ? inngestProvider : inProcessProvider;
}

/** What the console shows for a run that never reached the job service; the cause is in the server log. */
export const NOT_QUEUED_MESSAGE = "The sync could not be queued: the job service did not accept it (logged on the server). Press Sync to try again.";

/**
 * Queues the sync of a QUEUED run. When the provider refuses (Inngest unreachable, a wrong event
 * key), the run is closed as FAILED with a reason instead of staying QUEUED for good: nothing
 * would ever run it, and a queued run is reused by the next request, which would then never run
 * either.
 */
export async function sendSyncRequested(data: SyncRequestedData): Promise<void> {
  try {
    await jobProvider().requestSync(data);
  } catch (error) {
    logInternalError(`Queueing SCIM Export sync run ${data.runId} (profile ${data.profileId})`, error);
    await db().exportRun.updateMany({
      where: { id: data.runId, status: "QUEUED" },
      data: { status: "FAILED", phase: "done", finishedAt: new Date(), message: NOT_QUEUED_MESSAGE },
    });
  }
}

/** Tells the change-triggered sync that a tenant's directory changed (committed). Throws when not delivered. */
export function notifyDirectoryChanged(data: DirectoryChangedData): Promise<void> {
  return jobProvider().directoryChanged(data);
}
