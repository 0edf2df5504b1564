import { Prisma, type DirectoryUser } from "@/generated/prisma/client";
import { sqlRows } from "../db/sql";
import type { ResourceDef } from "../scim";
import { userOrder, userWhere, type ScimQuery } from "./scim-columns";
import { groupsColumn, splitGroups, type UserGroupRef } from "./user-group-refs";
import { pageAllUsers, usersOfPage, type PageRow, type UsersPage } from "./user-pages";

const { sql } = Prisma;

export type FilterUsersOptions = {
  tenantId: string;
  /** The client's filter and sort, parsed by the SCIM core (RFC 7644 §3.4.2). */
  query: ScimQuery;
  offset: number;
  limit: number;
  /** Read each user's direct groups too (in the same statement). */
  withGroups: boolean;
  /** The tenant's User resource (its declared extensions); the built-in one when absent. */
  userResource?: ResourceDef;
};

/**
 * A page of the tenant's users matching a SCIM filter, in the client's order (always ending in
 * `id`, so pages never overlap), and the total (RFC 7644 §3.4.2).
 */
export async function filterUsers(options: FilterUsersOptions): Promise<UsersPage> {
  const { tenantId, query, offset, limit, withGroups, userResource } = options;
  // The whole directory in its default order (what Okta and Entra page through on import): the
  // total and the page cost the same whatever the tenant's size (user-pages.ts).
  if (!query.filter && !query.sortBy) {
    const page = await pageAllUsers({ tenantId, offset, limit, withGroups });
    if (page) return page;
  }
  const where = userWhere(tenantId, query, userResource);
  const order = userOrder(query, userResource);
  // The total is a count that reads no row data; a window count in the page query would read
  // every matching row in full for every page. A scan: its cost follows the matches.
  const count = sql`SELECT count(*)::int AS "scimTotal" FROM "DirectoryUser" u WHERE ${where}`;
  if (limit <= 0) {
    const [counted] = await sqlRows<{ scimTotal: number }>(count, { kind: "scan" });
    return { total: counted?.scimTotal ?? 0, users: [] };
  }
  if (offset === 0) {
    // The first page: an index scan that stops after LIMIT rows, each user's groups read for the
    // returned users only. A lookup (userName eq, externalId eq…) is shorter than `count`: its
    // length is the total, and no count runs (bench:scim-import lookup: a third less PostgreSQL time).
    const groups = withGroups ? sql`, ${groupsColumn("u")}` : sql``;
    const rows = await sqlRows<DirectoryUser & { scimGroups?: UserGroupRef[] | null }>(
      sql`SELECT u.*${groups} FROM "DirectoryUser" u WHERE ${where} ORDER BY ${order} LIMIT ${limit}`,
      { kind: "point" },
    );
    const users = rows.map((row) => splitGroups<DirectoryUser>(row, withGroups));
    if (rows.length < limit) return { total: rows.length, users };
    // Counted in a snapshot of its own: never fewer than the page shows.
    const [counted] = await sqlRows<{ scimTotal: number }>(count, { kind: "scan" });
    return { total: Math.max(counted?.scimTotal ?? 0, rows.length), users };
  }
  // Deep pages: the ids first (an index scan that skips the rows it passes over), then the rows,
  // with the total in the same statement, one round trip (an empty page still returns the total's row).
  const groups = withGroups ? sql`, ${groupsColumn("p")}` : sql``;
  const page = sql`WITH page AS (
      SELECT u.id, row_number() OVER (ORDER BY ${order}) AS "scimRow" FROM "DirectoryUser" u WHERE ${where} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}
    )
    SELECT p.*, page."scimRow"${groups} FROM page JOIN "DirectoryUser" p ON p.id = page.id`;
  const rows = await sqlRows<PageRow>(
    sql`SELECT c."scimTotal", r.* FROM (${count}) c LEFT JOIN LATERAL (${page}) r ON true ORDER BY r."scimRow"`,
    { kind: "scan" },
  );
  return { total: rows[0]?.scimTotal ?? 0, users: usersOfPage(rows, withGroups) };
}
