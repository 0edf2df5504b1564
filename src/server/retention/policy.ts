import { Prisma } from "@/generated/prisma/client";
import { zRetentionPolicy, type RetentionPolicy } from "@/lib/validation/retention";
import { recordAudit } from "../audit/record";
import { db } from "../db";
import { sqlRows } from "../db/sql";

export async function getRetentionPolicy(options: { tenantId: string }): Promise<RetentionPolicy> {
  return db().tenant.findUniqueOrThrow({ where: { id: options.tenantId }, select: { logRetentionDays: true, auditRetentionDays: true } });
}

/** Changes how long the tenant's logs and audit entries are kept (applied by the next daily pruning). */
export async function setRetentionPolicy(options: { tenantId: string; policy: RetentionPolicy }): Promise<RetentionPolicy> {
  const policy = zRetentionPolicy.parse(options.policy);
  return db().$transaction(async (tx) => {
    const before = await tx.tenant.findUniqueOrThrow({
      where: { id: options.tenantId },
      select: { name: true, logRetentionDays: true, auditRetentionDays: true },
    });
    const after = await tx.tenant.update({
      where: { id: options.tenantId },
      data: policy,
      select: { logRetentionDays: true, auditRetentionDays: true },
    });
    const { name, ...previous } = before;
    await recordAudit(tx, {
      tenantId: options.tenantId,
      action: "tenant.retention_changed",
      target: { type: "tenant", id: options.tenantId, name },
      before: previous,
      after,
    });
    return after;
  });
}

/** The tables retention prunes, as the settings page names them. */
const TABLES = [
  { table: "ProvisioningEvent", label: "Provisioning events" },
  { table: "SignInEvent", label: "Sign-ins" },
  { table: "ExportRun", label: "Sync runs" },
  { table: "ExportOperation", label: "Sync operations" },
  { table: "AuditEntry", label: "Audit log" },
  { table: "DirectoryChange", label: "Directory change feed" },
] as const;

type SpaceUsed = { label: string; tenantRows: number; tableBytes: number; tenantBytesEstimate: number }[];

/**
 * Space used: each table's size on disk with its indexes (pg_total_relation_size, all tenants), the
 * tenant's rows in it, and the tenant's share estimated from the table's row estimate.
 */
export async function getSpaceUsed(options: { tenantId: string }): Promise<SpaceUsed> {
  const rows = await sqlRows<{ table: string; bytes: bigint; estimate: number; tenantRows: bigint }>(
    Prisma.sql`
    SELECT t.name AS "table", pg_total_relation_size(c.oid) AS bytes, GREATEST(c.reltuples, 0)::float8 AS estimate,
      (CASE t.name
        WHEN 'ProvisioningEvent' THEN (SELECT count(*) FROM "ProvisioningEvent" WHERE "tenantId" = ${options.tenantId}::uuid)
        WHEN 'SignInEvent' THEN (SELECT count(*) FROM "SignInEvent" WHERE "tenantId" = ${options.tenantId}::uuid)
        WHEN 'ExportRun' THEN (SELECT count(*) FROM "ExportRun" WHERE "tenantId" = ${options.tenantId}::uuid)
        WHEN 'ExportOperation' THEN (SELECT count(*) FROM "ExportOperation" WHERE "tenantId" = ${options.tenantId}::uuid)
        WHEN 'AuditEntry' THEN (SELECT count(*) FROM "AuditEntry" WHERE "tenantId" = ${options.tenantId}::uuid)
        WHEN 'DirectoryChange' THEN (SELECT count(*) FROM "DirectoryChange" WHERE "tenantId" = ${options.tenantId}::uuid)
      END) AS "tenantRows"
    FROM unnest(${TABLES.map((t) => t.table)}::text[]) AS t(name)
    JOIN pg_class c ON c.relname = t.name AND c.relkind = 'r'
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()`,
    { kind: "scan" },
  );
  return TABLES.map(({ table, label }) => {
    const row = rows.find((r) => r.table === table);
    const tableBytes = Number(row?.bytes ?? 0);
    const tenantRows = Number(row?.tenantRows ?? 0);
    const estimate = Math.max(row?.estimate ?? 0, tenantRows, 1);
    return { label, tenantRows, tableBytes, tenantBytesEstimate: Math.round((tableBytes * tenantRows) / estimate) };
  });
}
