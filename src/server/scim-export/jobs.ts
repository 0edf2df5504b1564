/**
 * SCIM Export's jobs, declared for whichever provider runs them: the Inngest functions
 * (inngest-functions.ts) and the in-process runner (`exportJobs`, started by instrumentation.ts)
 * call the same handlers with `{ event, step, execution }`.
 */
import { Prisma } from "@/generated/prisma/client";
import { db } from "../db";
import { sqlRows } from "../db/sql";
import { logInternalError } from "../http/internal-error";
import { defineJob, type JobContext, type JobExecution, type JobRegistry } from "../jobs/definition";
import type { DirectoryChangedData, SyncRequestedData } from "../jobs/events";
import { enqueueJob } from "../jobs/runner";
import type { StepRunner } from "../jobs/step";
import type { ClientRetries } from "./client/scim-client";
import { finishRun, runExportSync } from "./engine/sync";
import { requestExportSync } from "./sync-request";
import { DIRECTORY_CHANGED_FUNCTION_ID, PROVISION_ON_DEMAND_FUNCTION_ID, SYNC_FUNCTION_ID } from "./job-ids";
import { PROVISIONING_INTERRUPTED } from "./one-sync-per-profile";

const { sql } = Prisma;

export { SYNC_FUNCTION_ID, DIRECTORY_CHANGED_FUNCTION_ID, PROVISION_ON_DEMAND_FUNCTION_ID, profileKey } from "./job-ids";

export function handleSyncRequested(
  {
    event,
    step,
    execution,
  }: {
    event: { data: SyncRequestedData };
    step: StepRunner;
    execution?: JobExecution;
  },
  retries?: ClientRetries,
) {
  const held = execution ? { owner: execution.id, resumed: execution.attempt > 0, fence: execution.fence } : {};
  return runExportSync(event.data, step, { ...held, retries });
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

/**
 * Cron: queues a sync for every profile whose interval is due (not disabled, not in quarantine).
 * The due profiles are claimed in one statement that moves their next time forward (FOR UPDATE
 * SKIP LOCKED), so two instances ticking at once never queue one profile twice.
 */
export async function queueDueProfiles(now = new Date()): Promise<{ queued: number }> {
  // The columns are timestamps without time zone, in UTC: the ISO string's zone is dropped on the cast.
  const at = sql`${now.toISOString()}::timestamp`;
  // One statement over the due profiles (up to 500): a scan, off the statement client's quick connections.
  const due = await sqlRows<{ id: string; tenantId: string; firstSchedule: boolean }>(
    sql`
    WITH due AS (
      SELECT p.id, p."nextSyncAt" IS NULL AS "firstSchedule" FROM "ExportProfile" p
      WHERE p.enabled AND p."baseUrl" IS NOT NULL AND p."tokenCiphertext" IS NOT NULL AND p."scheduleMinutes" IS NOT NULL
        AND (p."nextSyncAt" IS NULL OR p."nextSyncAt" <= ${at})
        AND (p."quarantinedUntil" IS NULL OR p."quarantinedUntil" <= ${at})
      ORDER BY p."nextSyncAt" NULLS FIRST
      LIMIT 500
      FOR UPDATE SKIP LOCKED)
    UPDATE "ExportProfile" p SET "nextSyncAt" = ${at} + p."scheduleMinutes" * interval '1 minute'
    FROM due WHERE p.id = due.id
    RETURNING p.id::text AS id, p."tenantId"::text AS "tenantId", due."firstSchedule"`,
    { kind: "scan" },
  );
  let queued = 0;
  for (const p of due) {
    // Never scheduled yet: the first scheduled run comes one interval after configuration.
    if (p.firstSchedule) continue;
    try {
      await requestExportSync({ tenantId: p.tenantId, profileId: p.id, trigger: "SCHEDULE" });
      queued++;
    } catch (error) {
      logInternalError(
        `SCIM Export scheduler: queueing the scheduled sync of profile ${p.id} (tenant ${p.tenantId}); the next interval tries again`,
        error,
      );
    }
  }
  return { queued };
}

/**
 * Debounced directory changes of a tenant: every enabled, configured profile that has not seen the
 * latest change gets a change-triggered sync (the incremental diff sends only what changed).
 */
export async function queueChangedProfiles(data: DirectoryChangedData): Promise<{ queued: number }> {
  const latest = await db().directoryChange.findFirst({
    where: { tenantId: data.tenantId },
    orderBy: { id: "desc" },
    select: { id: true },
  });
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

/** Tenants with directory changes no enabled profile has looked at yet: a debounced directory-changed job each. */
export async function pollDirectoryChanges({ debounceMs }: { debounceMs: number }): Promise<void> {
  const tenants = await sqlRows<{ tenantId: string }>(
    sql`
    SELECT DISTINCT p."tenantId"::text AS "tenantId" FROM "ExportProfile" p
    WHERE p.enabled AND p."baseUrl" IS NOT NULL AND p."tokenCiphertext" IS NOT NULL
      AND EXISTS (SELECT 1 FROM "DirectoryChange" c WHERE c."tenantId" = p."tenantId" AND c.id > p."changeWatermark")`,
    { kind: "scan" },
  );
  for (const t of tenants) {
    // The feed is polled while the watermark is behind: a job already waiting is left alone (it reads
    // the latest change when it runs), so polling never pushes it back.
    await enqueueJob(
      DIRECTORY_CHANGED_FUNCTION_ID,
      "directory/changed",
      { tenantId: t.tenantId },
      { concurrencyKey: `changes:${t.tenantId}`, debounceMs, extendDebounce: false },
    );
  }
}

/**
 * A Provision on Demand whose server died while it ran (provision-on-demand.ts holds the
 * profile's key as a job): the runner claims the expired job and this closes the run it left open.
 */
async function closeInterruptedProvisioning({ event, execution }: JobContext<SyncRequestedData>): Promise<void> {
  const run = await db().exportRun.findUnique({ where: { id: event.data.runId }, select: { status: true } });
  if (!run || run.status !== "RUNNING") return;
  await finishRun(event.data, { fatal: PROVISIONING_INTERRUPTED, quarantinable: false }, execution.fence);
}

/** Settings of SCIM Export's in-process jobs: the SCIM client's retry timings (tests shorten them). */
export type ExportJobSettings = { clientRetries?: ClientRetries };

/** The in-process runner's share of SCIM Export, with these settings: its jobs and its periodic tasks. */
export function exportJobsWith(settings: ExportJobSettings): JobRegistry {
  return {
    definitions: [
      defineJob<SyncRequestedData>({
        id: SYNC_FUNCTION_ID,
        event: "scim-export/sync.requested",
        handler: (context) => handleSyncRequested(context, settings.clientRetries),
        onFailure: handleSyncFailed,
        maxAttempts: 5,
      }),
      defineJob<DirectoryChangedData>({
        id: DIRECTORY_CHANGED_FUNCTION_ID,
        event: "directory/changed",
        handler: ({ event, step }) => step.run("queue-changed-profiles", () => queueChangedProfiles(event.data)),
        maxAttempts: 3,
      }),
      defineJob<SyncRequestedData>({
        id: PROVISION_ON_DEMAND_FUNCTION_ID,
        event: "scim-export/provision-on-demand",
        handler: closeInterruptedProvisioning,
        maxAttempts: 3,
      }),
    ],
    periodic: [
      { name: "scim-export-scheduler", everyMs: 30_000, run: () => queueDueProfiles() },
      { name: "scim-export-change-poll", everyMs: 2_000, run: pollDirectoryChanges },
    ],
  };
}

/** SCIM Export's in-process jobs with the production settings. */
export const exportJobs: JobRegistry = exportJobsWith({});
