/**
 * Where the app's jobs are dispatched. One provider per process, picked from the settings by
 * send.ts: Inngest (inngest-provider.ts) or the in-process durable runner (in-process-provider.ts).
 * Callers never know which; the job handlers are the same on both.
 */
import type { DirectoryChangedData, SyncRequestedData } from "./events";

export interface JobProvider {
  readonly kind: "inngest" | "in-process";
  /** Queues the sync of a run whose row exists (QUEUED). Throws when the job could not be queued. */
  requestSync(data: SyncRequestedData): Promise<void>;
  /**
   * A tenant's directory changed and the change is committed: a change-triggered sync follows,
   * debounced per tenant. Throws when the notice could not be delivered.
   */
  directoryChanged(data: DirectoryChangedData): Promise<void>;
}
