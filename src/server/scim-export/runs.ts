import type { Prisma } from "@/generated/prisma/client";
import { zOperationFilters, type EXPORT_OPERATION_ACTIONS } from "@/lib/validation/scim-export";
import { db } from "../db";
import { isUuid } from "../directory/ids";
import { runNotFound } from "./errors";
import { requireProfile, type ProfileScoped, type TenantScoped } from "./profiles";
import { runSummarySelect, toRunSummaries } from "./run-summary";
import type { ExportOperationRow, ExportRunSummary, Page } from "./types";

/** Runs of a profile, newest first, paged by cursor (the last run id of the previous page). */
export async function listExportRuns(
  options: ProfileScoped & { cursor?: string; offset?: number; limit?: number },
): Promise<Page<ExportRunSummary>> {
  await requireProfile(options, { id: true });
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 200);
  const where = { profileId: options.profileId, tenantId: options.tenantId };
  const [rows, total] = await Promise.all([
    db().exportRun.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit + 1,
      ...(options.cursor && isUuid(options.cursor)
        ? { cursor: { id: options.cursor }, skip: 1 }
        : { skip: Math.max(0, options.offset ?? 0) }),
      select: runSummarySelect,
    }),
    db().exportRun.count({ where }),
  ]);
  const items = await toRunSummaries(rows.slice(0, limit));
  return { items, total, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

/** One run with live progress (the console polls this while a run goes). */
export async function getExportRun(options: TenantScoped & { runId: string }): Promise<ExportRunSummary & { profileId: string }> {
  if (!isUuid(options.runId)) throw runNotFound();
  const row = await db().exportRun.findFirst({
    where: { id: options.runId, tenantId: options.tenantId },
    select: { ...runSummarySelect, profileId: true },
  });
  if (!row) throw runNotFound();
  const [summary] = await toRunSummaries([row]);
  return { ...summary!, profileId: row.profileId };
}

export type OperationFilters = {
  runId?: string;
  objectType?: "USER" | "GROUP";
  action?: (typeof EXPORT_OPERATION_ACTIONS)[number];
  result?: "SUCCESS" | "SKIPPED" | "ERROR";
  search?: string;
};

/** The page's filters as a query: the list and its CSV export apply the same. */
export function exportOperationsWhere(options: ProfileScoped & { filters?: OperationFilters }): Prisma.ExportOperationWhereInput {
  const filters = zOperationFilters.parse(options.filters ?? {});
  return {
    tenantId: options.tenantId,
    profileId: options.profileId,
    ...(filters.runId ? { runId: filters.runId } : {}),
    ...(filters.objectType ? { objectType: filters.objectType } : {}),
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.result ? { result: filters.result } : {}),
    ...(filters.search ? { name: { contains: filters.search, mode: "insensitive" } } : {}),
  };
}

/** Operations of a profile (optionally of one run), newest first, filtered and paged by cursor. */
export async function listExportOperations(
  options: ProfileScoped & { filters?: OperationFilters; cursor?: string; offset?: number; limit?: number },
): Promise<Page<ExportOperationRow>> {
  await requireProfile(options, { id: true });
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const where = exportOperationsWhere(options);
  const cursor = options.cursor && /^\d+$/.test(options.cursor) ? { id: { lt: BigInt(options.cursor) } } : {};
  const total = await db().exportOperation.count({ where });
  const rows = await db().exportOperation.findMany({
    where: { ...where, ...cursor },
    orderBy: { id: "desc" },
    take: limit + 1,
    ...(options.cursor ? {} : { skip: Math.max(0, options.offset ?? 0) }),
    select: {
      id: true,
      runId: true,
      at: true,
      objectType: true,
      localId: true,
      remoteId: true,
      name: true,
      action: true,
      result: true,
      changes: true,
      reason: true,
      httpStatus: true,
      request: true,
      response: true,
    },
  });
  const items = rows.slice(0, limit).map((r) => ({
    ...r,
    id: r.id.toString(),
    changes: (r.changes as ExportOperationRow["changes"]) ?? null,
  }));
  return { items, total, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}
