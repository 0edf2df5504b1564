import type { Prisma } from "@/generated/prisma/client";
import type { AuditAction } from "@/lib/audit-actions";
import { db } from "../db";

export type AuditFilters = {
  /** Substring of the actor's email, or "operator CLI". */
  actor?: string;
  action?: AuditAction;
  /** Substring of the object's name, or its exact id. */
  object?: string;
  from?: Date;
  to?: Date;
};

export type AuditEntryRow = {
  id: string;
  at: Date;
  actorLabel: string;
  actorAccountId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  targetName: string | null;
  before: unknown;
  after: unknown;
  clientAddress: string | null;
};

export function auditWhere(tenantId: string, filters: AuditFilters): Prisma.AuditEntryWhereInput {
  const where: Prisma.AuditEntryWhereInput = { tenantId };
  const actor = filters.actor?.trim();
  if (actor) where.actorLabel = { contains: actor, mode: "insensitive" };
  if (filters.action) where.action = filters.action;
  const object = filters.object?.trim();
  if (object) where.OR = [{ targetName: { contains: object, mode: "insensitive" } }, { targetId: object }];
  if (filters.from || filters.to) where.at = { ...(filters.from ? { gte: filters.from } : {}), ...(filters.to ? { lte: filters.to } : {}) };
  return where;
}

const columns = {
  id: true,
  at: true,
  actorLabel: true,
  actorAccountId: true,
  action: true,
  targetType: true,
  targetId: true,
  targetName: true,
  before: true,
  after: true,
  clientAddress: true,
} as const;

/** A page of the tenant's audit log, newest first (the (tenantId, at, id) index). */
export async function listAuditEntries(options: { tenantId: string; filters: AuditFilters; offset: number; limit: number }) {
  const where = auditWhere(options.tenantId, options.filters);
  const [rows, total] = await Promise.all([
    db().auditEntry.findMany({
      where,
      orderBy: [{ at: "desc" }, { id: "desc" }],
      skip: options.offset,
      take: options.limit,
      select: columns,
    }),
    db().auditEntry.count({ where }),
  ]);
  return { items: rows.map((row): AuditEntryRow => ({ ...row, id: row.id.toString() })), total };
}
