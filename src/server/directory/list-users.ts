import { Prisma, type DirectoryUser } from "@/generated/prisma/client";
import { sqlRows } from "../db/sql";
import { isUuid } from "./ids";
import { reader, type DirectoryOptions } from "./scope";
import { containsPattern } from "./search-pattern";

import type { SortDirection, UserSortField } from "./list-users-types";

export type { SortDirection, UserSortField };
export const USER_SORT_FIELDS = ["userName", "displayName", "email", "createdAt", "active"] as const satisfies readonly UserSortField[];

export type ListUsersOptions = DirectoryOptions & {
  /** Substring (so also prefix) of userName, display name, given/family name or email; any case. */
  search?: string;
  /** Only active (true) or inactive (false) users; all when left out. */
  active?: boolean;
  /** Only direct members of this group. */
  groupId?: string;
  /** Leave out the direct members of this group (the "add members" picker). */
  excludeGroupId?: string;
  sort?: { field: UserSortField; direction: SortDirection };
  offset?: number;
  limit?: number;
  /** Skip the count when the caller does not show it. */
  withTotal?: boolean;
};

/** `total` is exact up to SEARCH_COUNT_CAP; a search matching more reports the cap and `totalCapped`. */
export type UserPage = { items: DirectoryUser[]; total: number | null; totalCapped?: boolean };

/**
 * Counting every match of a short, common search ("a") means reading most of the table; past
 * this many matches the console shows "10,000+" instead.
 */
export const SEARCH_COUNT_CAP = 10_000;

/**
 * Up to this many matches, the page is sorted from the set of matches (a materialized CTE over the
 * trigram or membership index: cost follows the number of matches). Past it, the sort index is
 * walked and filtered, which finds a page quickly because matches are dense. The planner cannot
 * tell the two apart by itself: a userName prefix such as "wei" is rare *and* clustered at the far
 * end of the userName order, so its LIMIT estimate walks almost the whole index.
 */
const MATCH_SET_LIMIT = 5_000;

/** Searches shorter than a trigram: no index can look their matches up (see shortSearchScan). */
const TRIGRAM_LENGTH = 3;

export const MAX_PAGE_SIZE = 1000;

const { sql, join, raw } = Prisma;

/**
 * Each sort is served by an index whose leading column is tenantId, with `id` (or the unique
 * userNameKey) last so that rows with equal values keep one order and every row shows up on
 * exactly one page.
 */
function orderBy(sort: NonNullable<ListUsersOptions["sort"]>): Prisma.Sql {
  const dir = raw(sort.direction === "desc" ? "DESC" : "ASC");
  switch (sort.field) {
    case "userName":
      return sql`u."userNameKey" ${dir}`;
    case "displayName":
      return sql`u."displayName" ${dir}, u.id ${dir}`;
    case "email":
      return sql`u.email ${dir}, u.id ${dir}`;
    case "createdAt":
      return sql`u."createdAt" ${dir}, u.id ${dir}`;
    case "active":
      // Ascending: inactive users first (false < true), then by userName.
      return sql`u.active ${dir}, u."userNameKey" ${dir}`;
  }
}

/**
 * The columns a sort reads: a match set selects only these, so that each comes from its covering
 * index (an index-only scan) rather than from the table.
 */
function sortColumns(field: UserSortField): Prisma.Sql {
  switch (field) {
    case "userName":
      return sql`u.id, u."userNameKey"`;
    case "displayName":
      return sql`u.id, u."displayName"`;
    case "email":
      return sql`u.id, u.email`;
    case "createdAt":
      return sql`u.id, u."createdAt"`;
    case "active":
      return sql`u.id, u.active, u."userNameKey"`;
  }
}

/**
 * The tenant's users in userName order that match a one- or two-character search: each row's
 * searchText has to be read. The ordered subquery is served by the (tenantId, userNameKey, id,
 * searchText) index alone, and its OFFSET 0 keeps the filter outside, so a LIMIT around this stops
 * the walk at the page or at the count's cap. Left to itself the planner reads the table instead
 * (a sequential scan, or the userName index and every row it points to): about three times the
 * time for a letter that one user in five has.
 */
function shortSearchScan(tenantId: string, search: string, direction: Prisma.Sql): Prisma.Sql {
  return sql`(SELECT u.id, u."userNameKey", u."searchText" FROM "DirectoryUser" u
              WHERE u."tenantId" = ${tenantId}::uuid ORDER BY u."userNameKey" ${direction} OFFSET 0) u
          WHERE u."searchText" LIKE ${containsPattern(search)} ESCAPE '\\'`;
}

function whereOf(options: ListUsersOptions): Prisma.Sql {
  const conditions: Prisma.Sql[] = [sql`u."tenantId" = ${options.tenantId}::uuid`];
  const search = options.search?.trim();
  if (search) conditions.push(sql`u."searchText" LIKE ${containsPattern(search)} ESCAPE '\\'`);
  if (options.active !== undefined) conditions.push(sql`u.active = ${options.active}`);
  if (options.excludeGroupId !== undefined && isUuid(options.excludeGroupId)) {
    conditions.push(
      sql`NOT EXISTS (SELECT 1 FROM "GroupMember" m WHERE m."groupId" = ${options.excludeGroupId}::uuid AND m."userId" = u.id)`,
    );
  }
  return join(conditions, " AND ");
}

/**
 * A page of users, searched, filtered and sorted in SQL. Two steps: the page's ids (an index scan
 * that reads little else, so deep offsets stay cheap), then those rows.
 */
export async function listUsers(options: ListUsersOptions): Promise<UserPage> {
  if (options.groupId !== undefined && !isUuid(options.groupId)) return { items: [], total: 0 };
  const client = reader(options.tx);
  const where = whereOf(options);
  const limit = Math.min(Math.max(options.limit ?? 50, 0), MAX_PAGE_SIZE);
  const offset = Math.max(options.offset ?? 0, 0);
  const sort = options.sort ?? { field: "userName", direction: "asc" };
  const order = orderBy(sort);
  const direction = raw(sort.direction === "desc" ? "DESC" : "ASC");

  const searchText = options.search?.trim() ?? "";
  // A group's members are looked up by primary key, their ids from its membership rows as one
  // array: PostgreSQL sorts it and finds them all in one pass over the index (a bitmap scan). As a
  // join, the planner prefers hashing the whole tenant's users (~100 ms at 100,000 users whatever
  // the group's size), and one lookup per membership row took about twice as long at 5,000 members.
  // OFFSET 0 keeps the other conditions out of the lookup: given a search, the planner would start
  // from the trigram index and compare each match with the array element by element (~70 ms).
  const from = options.groupId
    ? sql`(SELECT * FROM "DirectoryUser" u1
           WHERE u1.id = ANY(ARRAY(SELECT m."userId" FROM "GroupMember" m WHERE m."groupId" = ${options.groupId}::uuid)) OFFSET 0) u
          WHERE ${where}`
    : sql`"DirectoryUser" u WHERE ${where}`;
  const onlyGroup = options.groupId && !searchText && options.active === undefined;
  const shortSearch =
    searchText.length > 0 &&
    searchText.length < TRIGRAM_LENGTH &&
    !options.groupId &&
    options.active === undefined &&
    !options.excludeGroupId;
  const countQuery = onlyGroup
    ? // Members are always users of the group's tenant (group-members.ts checks every id), so a
      // tenant-checked group's membership rows are the count: an index-only scan of the group's rows.
      sql`SELECT count(*)::int AS total FROM "GroupMember" m
          WHERE m."groupId" = ${options.groupId}::uuid
            AND EXISTS (SELECT 1 FROM "DirectoryGroup" g WHERE g.id = m."groupId" AND g."tenantId" = ${options.tenantId}::uuid)`
    : shortSearch
      ? sql`SELECT count(*)::int AS total FROM (SELECT 1 FROM ${shortSearchScan(options.tenantId, searchText, direction)} LIMIT ${SEARCH_COUNT_CAP + 1}) AS matched`
      : searchText
        ? sql`SELECT count(*)::int AS total FROM (SELECT 1 FROM ${from} LIMIT ${SEARCH_COUNT_CAP + 1}) AS matched`
        : sql`SELECT count(*)::int AS total FROM ${from}`;
  const count = () => sqlRows<{ total: number }>(countQuery, { kind: "scan", tx: options.tx }).then((r) => r[0]?.total ?? 0);

  // Searches of three characters or more are counted first (the trigram index makes that cheap)
  // so that the page query can pick its plan on the real number of matches: see MATCH_SET_LIMIT.
  const probe = searchText.length >= TRIGRAM_LENGTH && !options.groupId;
  const counted = probe ? await count() : null;
  const matchSet = Boolean(options.groupId) || (counted !== null && counted <= MATCH_SET_LIMIT);
  const idQuery = matchSet
    ? sql`WITH u AS MATERIALIZED (SELECT ${sortColumns(sort.field)} FROM ${from})
          SELECT u.id FROM u ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`
    : shortSearch && sort.field === "userName"
      ? sql`SELECT u.id FROM ${shortSearchScan(options.tenantId, searchText, direction)} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`
      : sql`SELECT u.id FROM "DirectoryUser" u WHERE ${where} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`;

  const [idRows, total0] = await Promise.all([
    limit === 0 ? Promise.resolve([] as { id: string }[]) : sqlRows<{ id: string }>(idQuery, { kind: "scan", tx: options.tx }),
    probe ? Promise.resolve(counted) : options.withTotal === false ? Promise.resolve(null) : count(),
  ]);
  const reported = options.withTotal === false ? null : total0;
  const totalCapped = reported !== null && reported > SEARCH_COUNT_CAP;
  const total = totalCapped ? SEARCH_COUNT_CAP : reported;
  const ids = idRows.map((r) => r.id);
  if (ids.length === 0) return { items: [], total, totalCapped };
  const rows = await client.directoryUser.findMany({ where: { tenantId: options.tenantId, id: { in: ids } } });
  const position = new Map(ids.map((id, i) => [id, i]));
  rows.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
  return { items: rows, total, totalCapped };
}
