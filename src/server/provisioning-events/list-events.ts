import type { Prisma } from "@/generated/prisma/client";
import { type ScimRequestDescription, describeScimRequest, scimErrorDetail } from "@/lib/describe-scim-request";
import { db } from "../db";
import { AppError } from "../errors";

export type ListProvisioningEventsOptions = {
  tenantId: string;
  operation?: string;
  result?: "success" | "failure";
  /** Substring of the user's or group's name, or its exact id. */
  search?: string;
  from?: Date;
  to?: Date;
  offset?: number;
  limit?: number;
};

const summary = {
  id: true,
  at: true,
  method: true,
  path: true,
  operation: true,
  resourceType: true,
  resourceId: true,
  resourceName: true,
  status: true,
  durationMs: true,
  userAgent: true,
} as const;

/** The page's filters as a query: the list and its CSV export apply the same. */
export function provisioningEventsWhere(
  options: Omit<ListProvisioningEventsOptions, "offset" | "limit">,
): Prisma.ProvisioningEventWhereInput {
  const where: Prisma.ProvisioningEventWhereInput = { tenantId: options.tenantId };
  if (options.operation) where.operation = options.operation;
  if (options.result === "success") where.status = { lt: 400 };
  if (options.result === "failure") where.status = { gte: 400 };
  const search = options.search?.trim();
  if (search) where.OR = [{ resourceName: { contains: search, mode: "insensitive" } }, { resourceId: search }];
  if (options.from || options.to) where.at = { ...(options.from ? { gte: options.from } : {}), ...(options.to ? { lte: options.to } : {}) };
  return where;
}

/** A page of the tenant's SCIM requests, newest first (served by the (tenantId, at, id) index). */
export async function listProvisioningEvents(options: ListProvisioningEventsOptions) {
  const where = provisioningEventsWhere(options);
  const limit = Math.min(Math.max(options.limit ?? 25, 1), 100);
  const [rows, total] = await Promise.all([
    db().provisioningEvent.findMany({
      where,
      orderBy: [{ at: "desc" }, { id: "desc" }],
      skip: Math.max(options.offset ?? 0, 0),
      take: limit,
      select: summary,
    }),
    db().provisioningEvent.count({ where }),
  ]);
  const failures = await describeFailures(options.tenantId, rows);
  return { items: rows.map((row) => ({ ...row, id: row.id.toString(), failure: failures.get(row.id) ?? null })), total };
}

/**
 * A failed request is stored as operation "error" with no resource: what it tried and on whom is
 * read back from its stored (redacted) bodies, fetched for the page's failures only.
 */
async function describeFailures(tenantId: string, rows: { id: bigint; status: number }[]) {
  const ids = rows.filter((row) => row.status >= 400).map((row) => row.id);
  const failures = new Map<bigint, ScimRequestDescription & { detail: string | null }>();
  if (ids.length === 0) return failures;
  const bodies = await db().provisioningEvent.findMany({
    where: { tenantId, id: { in: ids } },
    select: { id: true, method: true, path: true, resourceName: true, requestBody: true, responseBody: true },
  });
  for (const event of bodies) failures.set(event.id, { ...describeScimRequest(event), detail: scimErrorDetail(event.responseBody) });
  return failures;
}

/** One event with its (already redacted) request and response bodies. */
export async function getProvisioningEvent(options: { tenantId: string; eventId: string }) {
  if (!/^\d{1,19}$/.test(options.eventId)) throw AppError.notFound("This event");
  const row = await db().provisioningEvent.findFirst({
    where: { tenantId: options.tenantId, id: BigInt(options.eventId) },
    select: { ...summary, requestBody: true, responseBody: true },
  });
  if (!row) throw AppError.notFound("This event");
  return { ...row, id: row.id.toString() };
}
