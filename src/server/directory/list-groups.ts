import { Prisma, type DirectoryGroup } from "@/generated/prisma/client";
import { sqlRows } from "../db/sql";
import { countGroupMembers } from "./get-group";
import { reader, type DirectoryOptions } from "./scope";
import { containsPattern } from "./search-pattern";
import { MAX_PAGE_SIZE, type SortDirection } from "./list-users";

import type { GroupSortField } from "./list-users-types";

export type ListGroupsOptions = DirectoryOptions & {
  /** Substring (so also prefix) of the display name, any case. */
  search?: string;
  sort?: { field: GroupSortField; direction: SortDirection };
  offset?: number;
  limit?: number;
  withTotal?: boolean;
};

/** A group of a page, with its direct member count. @public (the directory's API, through index.ts) */
export type GroupWithCount = DirectoryGroup & { memberCount: number };
export type GroupPage = { items: GroupWithCount[]; total: number | null };

const { sql, join, raw } = Prisma;

/** A page of groups with their direct user-member counts (counted for the page's groups only). */
export async function listGroups(options: ListGroupsOptions): Promise<GroupPage> {
  const client = reader(options.tx);
  const conditions: Prisma.Sql[] = [sql`g."tenantId" = ${options.tenantId}::uuid`];
  const search = options.search?.trim();
  if (search) conditions.push(sql`g."displayNameKey" LIKE ${containsPattern(search)} ESCAPE '\\'`);
  const where = join(conditions, " AND ");
  const sort = options.sort ?? { field: "displayName", direction: "asc" };
  const dir = raw(sort.direction === "desc" ? "DESC" : "ASC");
  // displayNameKey is unique per tenant, so it orders pages stably on its own.
  const order = sort.field === "createdAt" ? sql`g."createdAt" ${dir}, g.id ${dir}` : sql`g."displayNameKey" ${dir}`;
  const limit = Math.min(Math.max(options.limit ?? 50, 0), MAX_PAGE_SIZE);
  const offset = Math.max(options.offset ?? 0, 0);

  const [idRows, total] = await Promise.all([
    sqlRows<{ id: string }>(sql`SELECT g.id FROM "DirectoryGroup" g WHERE ${where} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`, {
      kind: "scan",
      tx: options.tx,
    }),
    options.withTotal === false
      ? Promise.resolve(null)
      : sqlRows<{ total: number }>(sql`SELECT count(*)::int AS total FROM "DirectoryGroup" g WHERE ${where}`, {
          kind: "scan",
          tx: options.tx,
        }).then((r) => r[0]?.total ?? 0),
  ]);
  const ids = idRows.map((r) => r.id);
  if (ids.length === 0) return { items: [], total };
  const [rows, counts] = await Promise.all([
    client.directoryGroup.findMany({ where: { tenantId: options.tenantId, id: { in: ids } } }),
    countGroupMembers({ tenantId: options.tenantId, tx: options.tx, groupIds: ids }),
  ]);
  const position = new Map(ids.map((id, i) => [id, i]));
  rows.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
  return { items: rows.map((g) => ({ ...g, memberCount: counts.get(g.id) ?? 0 })), total };
}
