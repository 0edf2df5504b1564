/**
 * The job handlers, framework-free: Inngest functions (functions.ts) and the in-process runner
 * (runner.ts) both call these with `{ event, step }`.
 */
import { db } from "../db";
import { logInternalError } from "../http/internal-error";
import { finishRun, runExportSync, type StepRunner } from "../scim-export/engine/sync";
import { requestExportSync } from "../scim-export/sync-request";
import type { DirectoryChangedData, SyncRequestedData } from "./events";

export type JobContext<T> = { event: { name: string; data: T }; step: StepRunner };

export function handleSyncRequested({ event, step }: JobContext<SyncRequestedData>) {
  return runExportSync(event.data, step);
}

/**
 * After the last retry: the run is closed as failed so that the console never shows it running
 * forever. Every member reads the run's message, so the error itself goes to the log only.
 */
export async function handleSyncFailed(data: SyncRequestedData, error: unknown) {
  const run = await db().exportRun.findUnique({ where: { id: data.runId }, select: { status: true } });
  if (!run || !["QUEUED", "RUNNING"].includes(run.status)) return;
  logInternalError(`SCIM Export sync run ${data.runId} (profile ${data.profileId})`, error);
  const message = "The sync stopped on an internal error (logged on the server) and will be retried by the next sync.";
  await finishRun(data, { fatal: message, quarantinable: false });
}

/** Cron: queues a sync for every profile whose interval is due (not disabled, not in quarantine). */
export async function queueDueProfiles(now = new Date()): Promise<{ queued: number }> {
  const due = await db().exportProfile.findMany({
    where: {
      enabled: true,
      baseUrl: { not: null },
      tokenCiphertext: { not: null },
      scheduleMinutes: { not: null },
      OR: [{ nextSyncAt: null }, { nextSyncAt: { lte: now } }],
      AND: [{ OR: [{ quarantinedUntil: null }, { quarantinedUntil: { lte: now } }] }],
    },
    select: { id: true, tenantId: true, scheduleMinutes: true, nextSyncAt: true },
    take: 500,
  });
  let queued = 0;
  for (const p of due) {
    if (p.nextSyncAt === null) {
      // Never scheduled yet: the first scheduled run comes one interval after configuration.
      await db().exportProfile.update({ where: { id: p.id }, data: { nextSyncAt: new Date(now.getTime() + p.scheduleMinutes! * 60_000) }, select: { id: true } });
      continue;
    }
    await requestExportSync({ tenantId: p.tenantId, profileId: p.id, trigger: "SCHEDULE" });
    // Moved forward now, so that a slow run is not queued again by the next tick.
    await db().exportProfile.update({ where: { id: p.id }, data: { nextSyncAt: new Date(now.getTime() + p.scheduleMinutes! * 60_000) }, select: { id: true } });
    queued++;
  }
  return { queued };
}

/**
 * Debounced directory changes of a tenant: every enabled, configured profile that has not seen the
 * latest change gets a change-triggered sync (the incremental diff sends only what changed).
 */
export async function queueChangedProfiles(data: DirectoryChangedData): Promise<{ queued: number }> {
  const latest = await db().directoryChange.findFirst({ where: { tenantId: data.tenantId }, orderBy: { id: "desc" }, select: { id: true } });
  if (!latest) return { queued: 0 };
  const now = new Date();
  const profiles = await db().exportProfile.findMany({
    where: {
      tenantId: data.tenantId,
      enabled: true,
      baseUrl: { not: null },
      tokenCiphertext: { not: null },
      changeWatermark: { lt: latest.id },
      OR: [{ quarantinedUntil: null }, { quarantinedUntil: { lte: now } }],
    },
    select: { id: true, _count: { select: { groups: true } } },
  });
  let queued = 0;
  for (const p of profiles) {
    await db().exportProfile.update({ where: { id: p.id }, data: { changeWatermark: latest.id }, select: { id: true } });
    if (p._count.groups === 0) continue;
    await requestExportSync({ tenantId: data.tenantId, profileId: p.id, trigger: "CHANGE" });
    queued++;
  }
  return { queued };
}
