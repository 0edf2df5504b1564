import { zAssignedGroupsInput } from "@/lib/validation/scim-export";
import { db } from "../db";
import { countGroupMembers } from "../directory";
import { AppError } from "../errors";
import { requireProfile, type ProfileScoped } from "./profiles";
import type { AssignedGroup } from "./types";

export async function listExportAssignedGroups(options: ProfileScoped): Promise<AssignedGroup[]> {
  await requireProfile(options, { id: true });
  const rows = await db().exportAssignedGroup.findMany({
    where: { profileId: options.profileId, tenantId: options.tenantId },
    select: { groupId: true, createdAt: true, group: { select: { displayName: true } } },
    orderBy: { group: { displayNameKey: "asc" } },
  });
  const counts = await countGroupMembers({ tenantId: options.tenantId, groupIds: rows.map((r) => r.groupId) });
  return rows.map((r) => ({
    groupId: r.groupId,
    displayName: r.group.displayName,
    memberCount: counts.get(r.groupId) ?? 0,
    assignedAt: r.createdAt,
  }));
}

/**
 * Makes the assigned groups exactly `groupIds` (a delta: existing assignments stay untouched).
 * Ids that are not groups of this tenant are a BAD_REQUEST on `groupIds`.
 */
export async function setExportAssignedGroups(
  options: ProfileScoped & { groupIds: string[]; includeNestedGroups?: boolean },
): Promise<{ assigned: number }> {
  const input = zAssignedGroupsInput.parse({ groupIds: options.groupIds, includeNestedGroups: options.includeNestedGroups });
  await requireProfile(options, { id: true });
  const ids = [...new Set(input.groupIds)];
  const found = await db().directoryGroup.findMany({ where: { tenantId: options.tenantId, id: { in: ids } }, select: { id: true } });
  if (found.length !== ids.length)
    throw new AppError("BAD_REQUEST", "Some of these groups do not exist (any more). Reload and choose again.", { field: "groupIds" });
  await db().$transaction(async (tx) => {
    await tx.exportAssignedGroup.deleteMany({ where: { profileId: options.profileId, groupId: { notIn: ids } } });
    await tx.exportAssignedGroup.createMany({
      data: ids.map((groupId) => ({ profileId: options.profileId, groupId, tenantId: options.tenantId })),
      skipDuplicates: true,
    });
    if (input.includeNestedGroups !== undefined) {
      await tx.exportProfile.update({
        where: { id: options.profileId },
        data: { includeNestedGroups: input.includeNestedGroups },
        select: { id: true },
      });
    }
  });
  return { assigned: ids.length };
}

export async function assignExportGroups(options: ProfileScoped & { groupIds: string[] }): Promise<{ assigned: number }> {
  const current = await db().exportAssignedGroup.findMany({
    where: { profileId: options.profileId, tenantId: options.tenantId },
    select: { groupId: true },
  });
  return setExportAssignedGroups({ ...options, groupIds: [...current.map((c) => c.groupId), ...options.groupIds] });
}

export async function unassignExportGroups(options: ProfileScoped & { groupIds: string[] }): Promise<{ assigned: number }> {
  await requireProfile(options, { id: true });
  await db().exportAssignedGroup.deleteMany({
    where: { profileId: options.profileId, tenantId: options.tenantId, groupId: { in: options.groupIds } },
  });
  return { assigned: await db().exportAssignedGroup.count({ where: { profileId: options.profileId } }) };
}
