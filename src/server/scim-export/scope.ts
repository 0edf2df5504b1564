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
