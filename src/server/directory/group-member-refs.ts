import { Prisma } from "@/generated/prisma/client";
import { sqlRows } from "../db/sql";
import type { DirectoryOptions } from "./scope";

const { sql } = Prisma;

/** A member as a group's row shows it (SCIM's Group.members): a user or a nested group. */
export type GroupMemberRef = { id: string; display: string | null; type: "User" | "Group" };

/**
 * The members (users, then nested groups) of the given groups, one statement per kind, each a
 * scan (its cost follows the groups' sizes): users in the order they were added, groups by name.
 */
export async function membersOfGroups(options: DirectoryOptions & { groupIds: string[] }): Promise<Map<string, GroupMemberRef[]>> {
  const { tenantId, groupIds, tx } = options;
  const map = new Map<string, GroupMemberRef[]>(groupIds.map((id) => [id, []]));
  if (groupIds.length === 0) return map;
  const [users, groups] = await Promise.all([
    sqlRows<{ groupId: string; id: string; display: string | null }>(
      sql`SELECT m."groupId", u.id, COALESCE(u."displayName", u."userName") AS display FROM "GroupMember" m JOIN "DirectoryUser" u ON u.id = m."userId"
        WHERE u."tenantId" = ${tenantId}::uuid AND m."groupId" = ANY(${groupIds}::uuid[]) ORDER BY m."groupId", m."createdAt", u.id`,
      { kind: "scan", tx },
    ),
    sqlRows<{ groupId: string; id: string; display: string }>(
      sql`SELECT n."parentId" AS "groupId", g.id, g."displayName" AS display FROM "GroupNesting" n JOIN "DirectoryGroup" g ON g.id = n."childId"
        WHERE g."tenantId" = ${tenantId}::uuid AND n."parentId" = ANY(${groupIds}::uuid[]) ORDER BY n."parentId", g."displayNameKey"`,
      { kind: "scan", tx },
    ),
  ]);
  for (const row of users) map.get(row.groupId)?.push({ id: row.id, display: row.display, type: "User" });
  for (const row of groups) map.get(row.groupId)?.push({ id: row.id, display: row.display, type: "Group" });
  return map;
}
