import { z } from "zod";
import type { DirectoryGroup } from "@/generated/prisma/client";
import {
  addGroupMembers,
  countGroupMembers,
  createGroup,
  deleteGroup,
  getGroup,
  listGroupMembers,
  listGroups,
  removeGroupMembers,
  updateGroup,
} from "../../directory";
import { zDirectoryId, zGroupForm, zGroupListInput, zGroupMembersInput, zMemberIds } from "@/lib/validation/directory";
import { directoryWriteProcedure } from "../directory-write-procedure";
import { createTRPCRouter, tenantProcedure } from "../init";
import { toUserListItem } from "./users";

function toGroupItem(g: DirectoryGroup, memberCount: number) {
  return {
    id: g.id,
    displayName: g.displayName,
    description: g.description,
    externalId: g.externalId,
    source: g.source,
    memberCount,
    createdAt: g.createdAt,
    updatedAt: g.updatedAt,
  };
}

const zGroupId = z.object({ groupId: zDirectoryId });

export const groupsRouter = createTRPCRouter({
  list: tenantProcedure.input(zGroupListInput).query(async ({ ctx, input }) => {
    const page = await listGroups({
      tenantId: ctx.tenant.id,
      search: input.search,
      sort: { field: input.sort, direction: input.direction },
      offset: (input.page - 1) * input.pageSize,
      limit: input.pageSize,
    });
    return { items: page.items.map((g) => toGroupItem(g, g.memberCount)), total: page.total ?? 0 };
  }),

  get: tenantProcedure.input(zGroupId).query(async ({ ctx, input }) => {
    const group = await getGroup({ tenantId: ctx.tenant.id, groupId: input.groupId });
    const counts = await countGroupMembers({ tenantId: ctx.tenant.id, groupIds: [group.id] });
    return toGroupItem(group, counts.get(group.id) ?? 0);
  }),

  create: directoryWriteProcedure.input(zGroupForm).mutation(async ({ ctx, input }) => {
    const group = await createGroup({ tenantId: ctx.tenant.id, source: "CONSOLE", fields: { displayName: input.displayName } });
    return { id: group.id, displayName: group.displayName };
  }),

  rename: directoryWriteProcedure.input(zGroupForm.extend({ groupId: zDirectoryId })).mutation(async ({ ctx, input }) => {
    const group = await updateGroup({
      tenantId: ctx.tenant.id,
      groupId: input.groupId,
      source: "CONSOLE",
      fields: { displayName: input.displayName },
    });
    return { id: group.id, displayName: group.displayName };
  }),

  delete: directoryWriteProcedure.input(zGroupId).mutation(async ({ ctx, input }) => {
    await deleteGroup({ tenantId: ctx.tenant.id, groupId: input.groupId, source: "CONSOLE" });
    return { id: input.groupId };
  }),

  members: tenantProcedure.input(zGroupMembersInput).query(async ({ ctx, input }) => {
    const page = await listGroupMembers({
      tenantId: ctx.tenant.id,
      groupId: input.groupId,
      search: input.search,
      sort: { field: input.sort, direction: input.direction },
      offset: (input.page - 1) * input.pageSize,
      limit: input.pageSize,
    });
    return { items: page.items.map(toUserListItem), total: page.total ?? 0, totalCapped: page.totalCapped ?? false };
  }),

  addMembers: directoryWriteProcedure.input(zGroupId.extend({ userIds: zMemberIds })).mutation(async ({ ctx, input }) => {
    const { added } = await addGroupMembers({ tenantId: ctx.tenant.id, groupId: input.groupId, userIds: input.userIds, source: "CONSOLE" });
    return { added };
  }),

  removeMembers: directoryWriteProcedure.input(zGroupId.extend({ userIds: zMemberIds })).mutation(async ({ ctx, input }) => {
    const { removed } = await removeGroupMembers({
      tenantId: ctx.tenant.id,
      groupId: input.groupId,
      userIds: input.userIds,
      source: "CONSOLE",
    });
    return { removed };
  }),
});
