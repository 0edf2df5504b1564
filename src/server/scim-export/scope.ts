/**
 * The profile's scope: the members of its assigned groups, and with `includeNestedGroups` the
 * members of groups nested in them, at any depth. Computed in SQL (a recursive CTE).
 */
import { Prisma } from "@/generated/prisma/client";
import { db, type DbTx } from "../db";
import { sqlRows } from "../db/sql";

const { sql } = Prisma;

/** The groups a run provisions: the assigned ones, plus nested descendants when asked. */
export async function scopeGroupIds(options: { profileId: string; includeNestedGroups: boolean; tx?: DbTx }): Promise<string[]> {
  const client = options.tx ?? db();
  if (!options.includeNestedGroups) {
    const rows = await client.exportAssignedGroup.findMany({ where: { profileId: options.profileId }, select: { groupId: true } });
    return rows.map((r) => r.groupId);
  }
  const rows = await sqlRows<{ id: string }>(
    sql`
    WITH RECURSIVE scope(id) AS (
      SELECT "groupId" FROM "ExportAssignedGroup" WHERE "profileId" = ${options.profileId}::uuid
      UNION
      SELECT n."childId" FROM "GroupNesting" n JOIN scope s ON n."parentId" = s.id
    )
    SELECT id::text AS id FROM scope`,
    { kind: "scan", tx: options.tx },
  );
  return rows.map((r) => r.id);
}

export async function userInScope(options: {
  tenantId: string;
  profileId: string;
  userId: string;
  includeNestedGroups: boolean;
}): Promise<boolean> {
  const groupIds = await scopeGroupIds(options);
  if (groupIds.length === 0) return false;
  const hit = await db().groupMember.findFirst({
    where: { userId: options.userId, groupId: { in: groupIds }, group: { tenantId: options.tenantId } },
    select: { userId: true },
  });
  return hit !== null;
}

/**
 * How nested groups appear on the target: "DIRECT" (nested groups not in scope: a group's direct
 * members only), "FLATTEN" (a group lists every user below it, transitively, once each) or
 * "NESTED" (its direct users, and its child groups as members of type Group).
 */
export type Nesting = "DIRECT" | "FLATTEN" | "NESTED";

export function nestingOf(profile: { includeNestedGroups: boolean; nestedGroupsOnTarget: "FLATTEN" | "NESTED" }): Nesting {
  return profile.includeNestedGroups ? profile.nestedGroupsOnTarget : "DIRECT";
}

/**
 * The user members of the groups `roots` as the target should list them: a subquery of
 * ("groupId", "userId") rows. Flattened, each root lists every user of the groups below it (a
 * recursive walk of GroupNesting; UNION stops at cycles); otherwise its direct members.
 */
export function targetMembersSql(nesting: Nesting, roots: string[]): Prisma.Sql {
  if (nesting !== "FLATTEN") return sql`(SELECT "groupId", "userId" FROM "GroupMember" WHERE "groupId" = ANY(${roots}::uuid[]))`;
  return sql`(
    WITH RECURSIVE below(root, id) AS (
      SELECT g, g FROM unnest(${roots}::uuid[]) AS g
      UNION
      SELECT b.root, n."childId" FROM "GroupNesting" n JOIN below b ON n."parentId" = b.id
    )
    SELECT DISTINCT b.root AS "groupId", m."userId" FROM below b JOIN "GroupMember" m ON m."groupId" = b.id)`;
}

/** The groups among `scope` above any of `groupIds` (their parents, at any depth): their target members depend on them. */
export async function scopeAncestorIds(groupIds: string[], scope: string[]): Promise<string[]> {
  if (groupIds.length === 0) return [];
  const rows = await sqlRows<{ id: string }>(
    sql`
    WITH RECURSIVE above(id) AS (
      SELECT g FROM unnest(${groupIds}::uuid[]) AS g
      UNION
      SELECT n."parentId" FROM "GroupNesting" n JOIN above a ON n."childId" = a.id
    )
    SELECT id::text AS id FROM above WHERE id = ANY(${scope}::uuid[]) AND NOT (id = ANY(${groupIds}::uuid[]))`,
    { kind: "scan" },
  );
  return rows.map((r) => r.id);
}
