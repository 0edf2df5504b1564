import { Prisma } from "@/generated/prisma/client";
import { db } from "../db";
import { sqlExecute, sqlRows } from "../db/sql";

const { sql } = Prisma;

/**
 * Rows are deleted this many at a time, each batch its own short statement (or transaction), so
 * pruning never holds locks for long nor blocks the SCIM requests writing beside it.
 */
const PRUNE_BATCH = 5_000;
/** Finished job rows (JobRun, JobStep) are kept this long for the operator's inspection. */
const JOB_ROW_RETENTION_DAYS = 7;

const DAY_MS = 86_400_000;

type PruneCounts = {
  provisioningEvents: number;
  signIns: number;
  exportOperations: number;
  exportRuns: number;
  auditEntries: number;
  directoryChanges: number;
  batches: number;
};

type Options = { now?: Date; batchSize?: number };

/** Runs `deleteBatch` until it deletes fewer than a batch; returns the rows and batches. */
async function inBatches(deleteBatch: (limit: number) => Promise<number>, batchSize: number, counts: { batches: number }) {
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch(batchSize);
    counts.batches += 1;
    total += deleted;
    if (deleted < batchSize) return total;
  }
}

/**
 * Deletes what the tenant's retention no longer keeps: provisioning events, sign-ins, finished
 * export runs and their operations older than `logRetentionDays`, audit entries older than
 * `auditRetentionDays`; and compacts its directory change feed up to the slowest export profile.
 */
export async function pruneTenant(tenantId: string, options: Options = {}): Promise<PruneCounts> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? PRUNE_BATCH;
  const tenant = await db().tenant.findUnique({ where: { id: tenantId }, select: { logRetentionDays: true, auditRetentionDays: true } });
  const counts: PruneCounts = {
    provisioningEvents: 0,
    signIns: 0,
    exportOperations: 0,
    exportRuns: 0,
    auditEntries: 0,
    directoryChanges: 0,
    batches: 0,
  };
  if (!tenant) return counts;
  const logCutoff = new Date(now.getTime() - tenant.logRetentionDays * DAY_MS);
  const auditCutoff = new Date(now.getTime() - tenant.auditRetentionDays * DAY_MS);
  const scan = { kind: "scan" } as const;

  counts.provisioningEvents = await inBatches(
    (limit) =>
      sqlExecute(
        sql`DELETE FROM "ProvisioningEvent" WHERE id IN (
          SELECT id FROM "ProvisioningEvent" WHERE "tenantId" = ${tenantId}::uuid AND at < ${logCutoff} LIMIT ${limit})`,
        scan,
      ),
    batchSize,
    counts,
  );
  counts.signIns = await inBatches(
    (limit) =>
      sqlExecute(
        sql`DELETE FROM "SignInEvent" WHERE id IN (
          SELECT id FROM "SignInEvent" WHERE "tenantId" = ${tenantId}::uuid AND at < ${logCutoff} LIMIT ${limit})`,
        scan,
      ),
    batchSize,
    counts,
  );
  // A run's operations go first, in batches: deleting a run with a million operations in one
  // statement (ON DELETE CASCADE) would be one long transaction.
  counts.exportOperations = await inBatches(
    (limit) =>
      sqlExecute(
        sql`DELETE FROM "ExportOperation" WHERE id IN (
          SELECT o.id FROM "ExportRun" r JOIN "ExportOperation" o ON o."runId" = r.id
          WHERE r."tenantId" = ${tenantId}::uuid AND r."finishedAt" < ${logCutoff} LIMIT ${limit})`,
        scan,
      ),
    batchSize,
    counts,
  );
  counts.exportRuns = await inBatches(
    (limit) =>
      sqlExecute(
        sql`DELETE FROM "ExportRun" WHERE id IN (
          SELECT id FROM "ExportRun" WHERE "tenantId" = ${tenantId}::uuid AND "finishedAt" < ${logCutoff} LIMIT ${limit})`,
        scan,
      ),
    batchSize,
    counts,
  );
  // The audit log's trigger refuses deletes unless the transaction says it is retention.
  counts.auditEntries = await inBatches(
    (limit) =>
      db().$transaction(async (tx) => {
        await sqlRows(sql`SELECT set_config('lifecycle.audit_pruning', 'on', true)`, { kind: "point", tx });
        return sqlExecute(
          sql`DELETE FROM "AuditEntry" WHERE id IN (
            SELECT id FROM "AuditEntry" WHERE "tenantId" = ${tenantId}::uuid AND at < ${auditCutoff} LIMIT ${limit})`,
          { kind: "point", tx },
        );
      }),
    batchSize,
    counts,
  );
  counts.directoryChanges = await compactChangeFeed(tenantId, batchSize, counts);
  return counts;
}

/**
 * The directory change feed is read by incremental export runs from their profile's
 * `syncedChangeId`: rows at or below the slowest profile's are read by no one again. A profile
 * that never finished a sync (null) does a full pass next, which reads no feed; a tenant with no
 * such profile keeps nothing.
 */
async function compactChangeFeed(tenantId: string, batchSize: number, counts: { batches: number }): Promise<number> {
  const [row] = await sqlRows<{ horizon: bigint | null }>(
    sql`SELECT COALESCE(
          (SELECT min("syncedChangeId") FROM "ExportProfile" WHERE "tenantId" = ${tenantId}::uuid AND "syncedChangeId" IS NOT NULL),
          (SELECT max(id) FROM "DirectoryChange" WHERE "tenantId" = ${tenantId}::uuid)) AS horizon`,
    { kind: "point" },
  );
  const horizon = row?.horizon;
  if (horizon === null || horizon === undefined) return 0;
  return inBatches(
    (limit) =>
      sqlExecute(
        sql`DELETE FROM "DirectoryChange" WHERE id IN (
          SELECT id FROM "DirectoryChange" WHERE "tenantId" = ${tenantId}::uuid AND id <= ${horizon} ORDER BY id LIMIT ${limit})`,
        { kind: "scan" },
      ),
    batchSize,
    counts,
  );
}

/** Finished job rows (their steps go with them) older than JOB_ROW_RETENTION_DAYS, in batches. */
export async function pruneFinishedJobs(options: Options = {}): Promise<number> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - JOB_ROW_RETENTION_DAYS * DAY_MS);
  return inBatches(
    (limit) =>
      sqlExecute(
        sql`DELETE FROM "JobRun" WHERE id IN (
          SELECT id FROM "JobRun" WHERE status IN ('COMPLETED', 'FAILED') AND "finishedAt" < ${cutoff} LIMIT ${limit})`,
        { kind: "scan" },
      ),
    options.batchSize ?? PRUNE_BATCH,
    { batches: 0 },
  );
}

/** The daily pruning: every tenant, then the job rows. */
export async function pruneAll(options: Options = {}): Promise<{ tenants: number; rows: number }> {
  const tenants = await db().tenant.findMany({ select: { id: true } });
  let rows = 0;
  for (const t of tenants) {
    const counts = await pruneTenant(t.id, options);
    rows += Object.entries(counts).reduce((sum, [key, n]) => (key === "batches" ? sum : sum + n), 0);
  }
  rows += await pruneFinishedJobs(options);
  return { tenants: tenants.length, rows };
}
