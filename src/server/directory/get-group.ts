import type { DirectoryGroup } from "@/generated/prisma/client";
import { groupNotFound } from "./group-errors";
import { isUuid } from "./ids";
import { inTenant, reader, type DirectoryOptions } from "./scope";

/** The group with this id in the tenant; NOT_FOUND for an unknown id or another tenant's group. */
export async function getGroup(options: DirectoryOptions & { groupId: string }): Promise<DirectoryGroup> {
  const group = await findGroup(options);
  if (!group) throw groupNotFound();
  return group;
}

export async function findGroup(options: DirectoryOptions & { groupId: string }): Promise<DirectoryGroup | null> {
  if (!isUuid(options.groupId)) return null;
  return reader(options.tx).directoryGroup.findFirst({ where: { ...inTenant(options.tenantId), id: options.groupId } });
}

/** Direct user members per group, for the given groups only (an index-only count each). */
export async function countGroupMembers(options: DirectoryOptions & { groupIds: string[] }): Promise<Map<string, number>> {
  const ids = options.groupIds.filter(isUuid);
  if (ids.length === 0) return new Map();
  const rows = await reader(options.tx).groupMember.groupBy({
    by: ["groupId"],
    // The join through the group keeps the count inside the tenant even for ids the caller made up.
    where: { groupId: { in: ids }, group: inTenant(options.tenantId) },
    _count: { _all: true },
  });
  return new Map(rows.map((r) => [r.groupId, r._count._all]));
}
