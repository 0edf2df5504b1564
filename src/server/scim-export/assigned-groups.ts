import { zAssignedGroupsInput, type NestedGroupsOnTarget } from "@/lib/validation/scim-export";
import { recordAudit } from "../audit/record";
import { db, type DbTx } from "../db";
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
  options: ProfileScoped & { groupIds: string[]; includeNestedGroups?: boolean; nestedGroupsOnTarget?: NestedGroupsOnTarget },
): Promise<{ assigned: number }> {
  const input = zAssignedGroupsInput.parse({
    groupIds: options.groupIds,
    includeNestedGroups: options.includeNestedGroups,
    nestedGroupsOnTarget: options.nestedGroupsOnTarget,
  });
  const profile = await requireProfile(options, { name: true, includeNestedGroups: true, nestedGroupsOnTarget: true });
  const ids = [...new Set(input.groupIds)];
  const found = await db().directoryGroup.findMany({ where: { tenantId: options.tenantId, id: { in: ids } }, select: { id: true } });
  if (found.length !== ids.length)
    throw new AppError("BAD_REQUEST", "Some of these groups do not exist (any more). Reload and choose again.", { field: "groupIds" });
  await db().$transaction(async (tx) => {
    const before = await assignedGroupNames(tx, options);
    await tx.exportAssignedGroup.deleteMany({ where: { profileId: options.profileId, groupId: { notIn: ids } } });
    await tx.exportAssignedGroup.createMany({
      data: ids.map((groupId) => ({ profileId: options.profileId, groupId, tenantId: options.tenantId })),
      skipDuplicates: true,
    });
    if (input.includeNestedGroups !== undefined || input.nestedGroupsOnTarget !== undefined) {
      await tx.exportProfile.update({
        where: { id: options.profileId },
        data: { includeNestedGroups: input.includeNestedGroups, nestedGroupsOnTarget: input.nestedGroupsOnTarget },
        select: { id: true },
      });
    }
    await recordGroupsChanged(tx, options, profile, before, input.includeNestedGroups, input.nestedGroupsOnTarget);
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
  const profile = await requireProfile(options, { name: true, includeNestedGroups: true });
  return db().$transaction(async (tx) => {
    const before = await assignedGroupNames(tx, options);
    await tx.exportAssignedGroup.deleteMany({
      where: { profileId: options.profileId, tenantId: options.tenantId, groupId: { in: options.groupIds } },
    });
    await recordGroupsChanged(tx, options, profile, before, undefined);
    return { assigned: await tx.exportAssignedGroup.count({ where: { profileId: options.profileId } }) };
  });
}

async function assignedGroupNames(tx: DbTx, options: ProfileScoped): Promise<string[]> {
  const rows = await tx.exportAssignedGroup.findMany({
    where: { profileId: options.profileId, tenantId: options.tenantId },
    select: { group: { select: { displayName: true } } },
    orderBy: { group: { displayNameKey: "asc" } },
  });
  return rows.map((r) => r.group.displayName);
}

/** The audit entry of an assignment change: the groups by name, before and after (none if nothing changed). */
async function recordGroupsChanged(
  tx: DbTx,
  options: ProfileScoped,
  profile: { name: string; includeNestedGroups: boolean; nestedGroupsOnTarget?: NestedGroupsOnTarget },
  before: string[],
  includeNestedGroups: boolean | undefined,
  nestedGroupsOnTarget?: NestedGroupsOnTarget,
) {
  const after = await assignedGroupNames(tx, options);
  const nestedChanged = includeNestedGroups !== undefined && includeNestedGroups !== profile.includeNestedGroups;
  const onTargetChanged = nestedGroupsOnTarget !== undefined && nestedGroupsOnTarget !== profile.nestedGroupsOnTarget;
  if (!nestedChanged && !onTargetChanged && JSON.stringify(before) === JSON.stringify(after)) return;
  await recordAudit(tx, {
    tenantId: options.tenantId,
    action: "export_profile.groups_changed",
    target: { type: "export_profile", id: options.profileId, name: profile.name },
    before: {
      groups: before,
      ...(nestedChanged ? { includeNestedGroups: profile.includeNestedGroups } : {}),
      ...(onTargetChanged ? { nestedGroupsOnTarget: profile.nestedGroupsOnTarget } : {}),
    },
    after: {
      groups: after,
      ...(nestedChanged ? { includeNestedGroups } : {}),
      ...(onTargetChanged ? { nestedGroupsOnTarget } : {}),
    },
  });
}
