import { Prisma, type DirectoryUser } from "@/generated/prisma/client";
import { sqlRows } from "../db/sql";
import { splitGroups, type UserGroupRef, type UserWithGroups } from "./user-group-refs";
import { log } from "../observability/logger";

/**
 * Pages of all a tenant's users in the default order (createdAt, id): what Okta and Entra page
 * through on import. The total and the page cost the same whatever the tenant's size, where the
 * general query (filter-users.ts) pays a count and an OFFSET over every user before the page.
 */
const { sql } = Prisma;

/** A page of users with the total of the query it is a page of. */
export type UsersPage = { total: number; users: UserWithGroups<DirectoryUser>[] };

/**
 * A row of a page read with its total (and the count's change sum): an empty page still returns
 * one row, for the total, with a null scimRow.
 */
export type PageRow = DirectoryUser & {
  scimTotal: number;
  scimChanges?: string;
  scimRow: bigint | null;
  scimGroups?: UserGroupRef[] | null;
};

/** The users of a page read with its total. */
export function usersOfPage(rows: PageRow[], withGroups: boolean): UserWithGroups<DirectoryUser>[] {
  return rows
    .filter((row) => row.scimRow !== null)
    .map(({ scimTotal: _total, scimChanges: _changes, scimRow: _row, ...row }) => splitGroups<DirectoryUser>(row, withGroups));
}

/**
 * Where the pages of a tenant's users in the default order (createdAt, id) begin: `keys[j]` is the
 * key of the user at position j × ANCHOR_STRIDE, valid while the tenant's DirectoryUserCount sums
 * are `users` and `changes` (those sums change with every user inserted or deleted, in the same
 * transaction: equal sums in a snapshot mean exactly the same users, so the same positions).
 */
type Anchors = { users: number; changes: string; createdAt: string[]; ids: string[]; loadedAt: number };
const ANCHOR_STRIDE = 100;
/** While a tenant's users keep changing, its keys are found again at most this often (pages use the general query between). */
const ANCHOR_RELOAD_MS = 1000;
const MAX_ANCHORED_TENANTS = 64;
const anchorsByTenant = new Map<string, Anchors>();
const anchorLoads = new Map<string, Promise<Anchors | null>>();

/** The tenant's exact user count and change sum, from the counts its triggers keep (no user row read). */
function userCounts(tenantId: string): Prisma.Sql {
  return sql`SELECT COALESCE(sum(users), 0)::int AS "scimTotal", COALESCE(sum(changes), 0)::text AS "scimChanges"
    FROM "DirectoryUserCount" WHERE "tenantId" = ${tenantId}::uuid`;
}

/**
 * One pass over the tenant's index (createdAt, id) that keeps every ANCHOR_STRIDE-th key, with the
 * counts of the same snapshot. Concurrent requests share one load. The pass counts the rows too:
 * if that ever disagreed with the kept count, nothing is remembered and pages use OFFSET.
 */
function loadAnchors(tenantId: string): Promise<Anchors | null> {
  const loading = anchorLoads.get(tenantId);
  if (loading) return loading;
  // A scan: one pass over the tenant, kept off the point statements' two connections.
  const load = sqlRows<{ scimTotal: number; scimChanges: string; rows: number; createdAt: string[]; ids: string[] }>(
    sql`
    SELECT c."scimTotal", c."scimChanges", a.rows, a."createdAt", a.ids FROM (${userCounts(tenantId)}) c CROSS JOIN LATERAL (
      SELECT COALESCE(max(k.n), 0)::int AS rows,
        COALESCE(array_agg(to_char(k."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.US') ORDER BY k.n) FILTER (WHERE (k.n - 1) % ${ANCHOR_STRIDE} = 0), '{}') AS "createdAt",
        COALESCE(array_agg(k.id::text ORDER BY k.n) FILTER (WHERE (k.n - 1) % ${ANCHOR_STRIDE} = 0), '{}') AS ids
      FROM (SELECT u."createdAt", u.id, row_number() OVER (ORDER BY u."createdAt", u.id) AS n FROM "DirectoryUser" u WHERE u."tenantId" = ${tenantId}::uuid) k
    ) a`,
    { kind: "scan" },
  )
    .then(([row]) => {
      if (!row || row.rows !== row.scimTotal) {
        if (row)
          log().error(`DirectoryUserCount disagrees with DirectoryUser for tenant ${tenantId}: ${row.scimTotal} counted, ${row.rows} rows`);
        anchorsByTenant.delete(tenantId);
        return null;
      }
      const anchors: Anchors = {
        users: row.scimTotal,
        changes: row.scimChanges,
        createdAt: row.createdAt,
        ids: row.ids,
        loadedAt: Date.now(),
      };
      anchorsByTenant.delete(tenantId);
      if (anchorsByTenant.size >= MAX_ANCHORED_TENANTS) anchorsByTenant.delete(anchorsByTenant.keys().next().value!);
      anchorsByTenant.set(tenantId, anchors);
      return anchors;
    })
    .finally(() => anchorLoads.delete(tenantId));
  anchorLoads.set(tenantId, load);
  return load;
}

/**
 * All the tenant's users, default order: the total is the kept count and the page starts from the
 * remembered key nearest before `offset` (at most ANCHOR_STRIDE - 1 rows skipped), so neither reads
 * the tenant's other users; OFFSET over a table whose visibility map is not set (right after bulk
 * writes) visits every row passed over, for the count and for the page. One statement checks, in
 * its own snapshot, that the counts are still those the keys were found with; when users were
 * added or removed since, the keys are found again (one pass), then the page is read. Null when
 * the counts cannot be trusted: the caller uses the general query.
 */
export async function pageAllUsers(options: {
  tenantId: string;
  offset: number;
  limit: number;
  withGroups: boolean;
}): Promise<UsersPage | null> {
  const { tenantId, offset, limit, withGroups } = options;
  if (limit <= 0) {
    const [counts] = await sqlRows<{ scimTotal: number }>(userCounts(tenantId), { kind: "point" });
    return { total: counts?.scimTotal ?? 0, users: [] };
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    const anchors = anchorsByTenant.get(tenantId) ?? (await loadAnchors(tenantId));
    if (!anchors) return null;
    if (anchors.ids.length === 0) {
      // No users when the keys were found: the counts alone say whether that still holds.
      const [counts] = await sqlRows<{ scimTotal: number; scimChanges: string }>(userCounts(tenantId), { kind: "point" });
      if (counts && counts.scimChanges === anchors.changes) return { total: counts.scimTotal, users: [] };
    } else {
      const j = Math.min(Math.floor(offset / ANCHOR_STRIDE), anchors.ids.length - 1);
      const skip = offset - j * ANCHOR_STRIDE;
      // The page lies between two remembered keys: the scan is bounded by them whatever plan
      // PostgreSQL picks (right after a bulk import it has no statistics yet).
      const end = j + Math.ceil((skip + limit) / ANCHOR_STRIDE);
      const before =
        end < anchors.ids.length
          ? sql` AND (u."createdAt", u.id) < (${anchors.createdAt[end]}::timestamp, ${anchors.ids[end]}::uuid)`
          : sql``;
      // The page's ids from the (createdAt, id) index, then their rows, and the groups of all its
      // users in one join (not one subquery per user: bench:scim-import, ~2.5 of 3.8 ms a page).
      const groups = withGroups
        ? sql`SELECT p.*, page."scimRow", gr."scimGroups" FROM page JOIN "DirectoryUser" p ON p.id = page.id LEFT JOIN (
            SELECT m."userId", json_agg(json_build_object('id', g.id, 'displayName', g."displayName") ORDER BY g."displayNameKey") AS "scimGroups"
            FROM "GroupMember" m JOIN "DirectoryGroup" g ON g.id = m."groupId" WHERE m."userId" = ANY(ARRAY(SELECT id FROM page)) GROUP BY m."userId"
          ) gr ON gr."userId" = page.id`
        : sql`SELECT p.*, page."scimRow" FROM page JOIN "DirectoryUser" p ON p.id = page.id`;
      const rows = await sqlRows<PageRow>(
        sql`
        SELECT c."scimTotal", c."scimChanges", r.* FROM (${userCounts(tenantId)}) c LEFT JOIN LATERAL (
          WITH page AS (
            SELECT u.id, row_number() OVER (ORDER BY u."createdAt", u.id) AS "scimRow" FROM "DirectoryUser" u
            WHERE u."tenantId" = ${tenantId}::uuid AND (u."createdAt", u.id) >= (${anchors.createdAt[j]}::timestamp, ${anchors.ids[j]}::uuid)${before}
            ORDER BY u."createdAt", u.id LIMIT ${limit} OFFSET ${skip}
          )
          ${groups}
        ) r ON true ORDER BY r."scimRow"`,
        { kind: "point" },
      );
      const first = rows[0];
      if (first && first.scimChanges === anchors.changes) return { total: first.scimTotal, users: usersOfPage(rows, withGroups) };
    }
    // Users were added or removed since: find the keys again, unless they were found just now
    // (the tenant is changing: this page takes the general query, as every page did before).
    if (Date.now() - anchors.loadedAt < ANCHOR_RELOAD_MS) return null;
    if (anchorsByTenant.get(tenantId) === anchors) anchorsByTenant.delete(tenantId);
  }
  return null;
}
