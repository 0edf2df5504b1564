/**
 * Hands a QUEUED run to the job provider (jobs/send.ts). When the provider refuses (Inngest
 * unreachable, a wrong event key), the run is closed as FAILED with a reason instead of staying
 * QUEUED for good: nothing would ever run it, and the next Sync would reuse it and never run either.
 */
import { db } from "../db";
import { logInternalError } from "../http/internal-error";
import { sendSyncRequested, type SyncRequestedData } from "../jobs/send";

/** What the console shows for a run that never reached the job service; the cause is in the server log. */
const NOT_QUEUED_MESSAGE =
  "The sync could not be queued: the job service did not accept it (logged on the server). Press Sync to try again.";

export async function queueRun(data: SyncRequestedData): Promise<void> {
  try {
    await sendSyncRequested(data);
  } catch (error) {
    logInternalError(`Queueing SCIM Export sync run ${data.runId} (profile ${data.profileId})`, error);
    await db().exportRun.updateMany({
      where: { id: data.runId, status: "QUEUED" },
      data: { status: "FAILED", phase: "done", finishedAt: new Date(), message: NOT_QUEUED_MESSAGE },
    });
  }
}
