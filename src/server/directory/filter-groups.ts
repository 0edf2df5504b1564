import { Prisma, type DirectoryGroup } from "@/generated/prisma/client";
import { sqlRows } from "../db/sql";
import { membersOfGroups, type GroupMemberRef } from "./group-member-refs";
import { groupOrder, groupWhere, type ScimQuery } from "./scim-columns";

const { sql } = Prisma;

export type GroupWithMembers = { group: DirectoryGroup; members: GroupMemberRef[] | undefined };

export type FilterGroupsOptions = {
  tenantId: string;
  /** The client's filter and sort, parsed by the SCIM core (RFC 7644 §3.4.2). */
  query: ScimQuery;
  offset: number;
  limit: number;
  /** Read each group's members too. */
  withMembers: boolean;
};

/** A page of the tenant's groups matching a SCIM filter, in the client's order, and the total. */
export async function filterGroups(options: FilterGroupsOptions): Promise<{ total: number; groups: GroupWithMembers[] }> {
  const { tenantId, query, offset, limit, withMembers } = options;
  const where = groupWhere(tenantId, query);
  const order = groupOrder(query);
  // Page and total side by side; see filterUsers for why the total is not a window count.
  const [total, rows] = await Promise.all([
    sqlRows<{ total: number }>(sql`SELECT count(*)::int AS total FROM "DirectoryGroup" g WHERE ${where}`, { kind: "scan" }).then(
      (r) => r[0]?.total ?? 0,
    ),
    limit <= 0
      ? Promise.resolve([] as DirectoryGroup[])
      : sqlRows<DirectoryGroup>(sql`SELECT g.* FROM "DirectoryGroup" g WHERE ${where} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`, {
          kind: "scan",
        }),
  ]);
  if (rows.length === 0) return { total, groups: [] };
  const members = withMembers ? await membersOfGroups({ tenantId, groupIds: rows.map((row) => row.id) }) : undefined;
  return { total, groups: rows.map((group) => ({ group, members: members?.get(group.id) })) };
}
