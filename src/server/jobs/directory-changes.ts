/**
 * Notices of committed directory changes, sent off the request path. A SCIM client writes users
 * one request at a time, hundreds a second: each write notes its tenant here (no I/O, no await),
 * and one notice per tenant is sent per round trip to the job service, however many writes came
 * in meanwhile. The job service debounces them again per tenant (functions.ts), so this only
 * saves requests. A notice that fails is logged; the next write of that tenant sends again, and
 * the scheduled sync catches up with anything missed.
 */
import { logInternalError } from "../http/internal-error";
import { notifyDirectoryChanged } from "./send";

const pending = new Set<string>();
let flushing: Promise<void> | null = null;

/** Call after the transaction that changed the tenant's directory committed. Never throws, never waits. */
export function directoryChangeCommitted(tenantId: string): void {
  pending.add(tenantId);
  flushing ??= flush();
}

async function flush(): Promise<void> {
  // Let the writes of this turn of the event loop join the first batch.
  await new Promise((resolve) => setImmediate(resolve));
  while (pending.size > 0) {
    const tenants = [...pending];
    pending.clear();
    await Promise.all(
      tenants.map((tenantId) =>
        notifyDirectoryChanged({ tenantId }).catch((error) => logInternalError(`Notice of directory changes of tenant ${tenantId}`, error)),
      ),
    );
  }
  flushing = null;
}

/** Resolves once every notice noted so far has been sent (or its failure logged). For tests and shutdown. */
export async function directoryNoticesSent(): Promise<void> {
  while (flushing) await flushing;
}
