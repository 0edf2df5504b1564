import { z } from "zod";
import type { DirectoryUser } from "@/generated/prisma/client";
import {
  createUserFromConsole,
  deleteUser,
  getUser,
  groupsOfUser,
  listUsers,
  setUserActive,
  updateUserFromConsole,
  type MultiValue,
} from "../../directory";
import { customAttributesOf } from "../../directory/custom-attributes";
import { zDirectoryId, zUserForm, zUserListInput } from "@/lib/validation/directory";
import { directoryWriteProcedure } from "../directory-write-procedure";
import { createTRPCRouter, tenantProcedure } from "../init";

/** A row of the users table: what the console shows, nothing internal (search text, keys, raw extras). */
export function toUserListItem(u: DirectoryUser) {
  return {
    id: u.id,
    userName: u.userName,
    displayName: u.displayName,
    givenName: u.givenName,
    familyName: u.familyName,
    email: u.email,
    active: u.active,
    source: u.source,
    title: u.title,
    department: u.department,
    createdAt: u.createdAt,
  };
}

function multiValues(value: unknown): { value: string; type: string | null; primary: boolean }[] {
  if (!Array.isArray(value)) return [];
  return (value as MultiValue[])
    .filter((v) => typeof v?.value === "string")
    .map((v) => ({ value: v.value, type: typeof v.type === "string" ? v.type : null, primary: v.primary === true }));
}

function toUserDetail(u: DirectoryUser) {
  return {
    ...toUserListItem(u),
    externalId: u.externalId,
    middleName: u.middleName,
    nickName: u.nickName,
    userType: u.userType,
    preferredLanguage: u.preferredLanguage,
    locale: u.locale,
    timezone: u.timezone,
    emails: multiValues(u.emails),
    phoneNumbers: multiValues(u.phoneNumbers),
    employeeNumber: u.employeeNumber,
    costCenter: u.costCenter,
    organization: u.organization,
    division: u.division,
    managerName: u.managerName,
    customAttributes: customAttributesOf(u.extra),
    version: u.version,
    updatedAt: u.updatedAt,
  };
}

const zUserId = z.object({ userId: zDirectoryId });

export const usersRouter = createTRPCRouter({
  list: tenantProcedure.input(zUserListInput).query(async ({ ctx, input }) => {
    const page = await listUsers({
      tenantId: ctx.tenant.id,
      search: input.search,
      active: input.status === "all" ? undefined : input.status === "active",
      sort: { field: input.sort, direction: input.direction },
      offset: (input.page - 1) * input.pageSize,
      limit: input.pageSize,
    });
    return { items: page.items.map(toUserListItem), total: page.total ?? 0, totalCapped: page.totalCapped ?? false };
  }),

  /** The "add members" picker: the best matches, leaving out the group's current members. */
  search: tenantProcedure
    .input(
      z.object({
        query: z.string().trim().max(200),
        excludeGroupId: zDirectoryId.optional(),
        limit: z.number().int().min(1).max(50).default(20),
      }),
    )
    .query(async ({ ctx, input }) => {
      const page = await listUsers({
        tenantId: ctx.tenant.id,
        search: input.query,
        excludeGroupId: input.excludeGroupId,
        limit: input.limit,
        withTotal: false,
      });
      return page.items.map((u) => ({ id: u.id, userName: u.userName, displayName: u.displayName, email: u.email }));
    }),

  get: tenantProcedure
    .input(zUserId)
    .query(async ({ ctx, input }) => toUserDetail(await getUser({ tenantId: ctx.tenant.id, userId: input.userId }))),

  groups: tenantProcedure.input(zUserId).query(async ({ ctx, input }) => {
    const groups = await groupsOfUser({ tenantId: ctx.tenant.id, userId: input.userId });
    return groups.map((g) => ({ id: g.id, displayName: g.displayName, source: g.source }));
  }),

  create: directoryWriteProcedure.input(zUserForm).mutation(async ({ ctx, input }) => {
    const user = await createUserFromConsole({ tenantId: ctx.tenant.id, form: input });
    return { id: user.id, userName: user.userName };
  }),

  update: directoryWriteProcedure.input(zUserForm.extend({ userId: zDirectoryId })).mutation(async ({ ctx, input }) => {
    const { userId, ...form } = input;
    return toUserDetail(await updateUserFromConsole({ tenantId: ctx.tenant.id, userId, form }));
  }),

  setActive: directoryWriteProcedure.input(zUserId.extend({ active: z.boolean() })).mutation(async ({ ctx, input }) => {
    const user = await setUserActive({ tenantId: ctx.tenant.id, userId: input.userId, active: input.active, source: "CONSOLE" });
    return { id: user.id, active: user.active };
  }),

  delete: directoryWriteProcedure.input(zUserId).mutation(async ({ ctx, input }) => {
    await deleteUser({ tenantId: ctx.tenant.id, userId: input.userId, source: "CONSOLE" });
    return { id: input.userId };
  }),
});
