import { Prisma, type DirectoryUser } from "@/generated/prisma/client";
import { sqlRows } from "../db/sql";
import { groupsColumn, splitGroups, type UserGroupRef, type UserWithGroups } from "./user-group-refs";
import { isUuid } from "./ids";
import { inTenant, reader, type DirectoryOptions } from "./scope";
import { userNotFound } from "./user-errors";
import { userNameKey } from "./user-fields";

const { sql } = Prisma;

/** The user with this id in the tenant; NOT_FOUND for an unknown id or another tenant's user. */
export async function getUser(options: DirectoryOptions & { userId: string }): Promise<DirectoryUser> {
  const user = await findUser(options);
  if (!user) throw userNotFound();
  return user;
}

export async function findUser(options: DirectoryOptions & { userId: string }): Promise<DirectoryUser | null> {
  if (!isUuid(options.userId)) return null;
  return reader(options.tx).directoryUser.findFirst({ where: { ...inTenant(options.tenantId), id: options.userId } });
}

/**
 * The user with this id and, when asked, its direct groups, in one point statement (SCIM's reads
 * before a write: bench:scim-import, deactivate with If-Match). Null for an unknown id.
 */
export async function findUserWithGroups(
  options: DirectoryOptions & { userId: string; withGroups: boolean },
): Promise<UserWithGroups<DirectoryUser> | null> {
  const { tenantId, userId: id, withGroups } = options;
  if (!isUuid(id)) return null;
  const [row] = await sqlRows<DirectoryUser & { scimGroups?: UserGroupRef[] | null }>(
    withGroups
      ? sql`SELECT u.*, ${groupsColumn("u")} FROM "DirectoryUser" u WHERE u.id = ${id}::uuid AND u."tenantId" = ${tenantId}::uuid`
      : sql`SELECT * FROM "DirectoryUser" WHERE id = ${id}::uuid AND "tenantId" = ${tenantId}::uuid`,
    { kind: "point", tx: options.tx },
  );
  return row ? splitGroups<DirectoryUser>(row, withGroups) : null;
}

/** By the canonical key (user-fields.ts `userNameKey`), as userName uniqueness is. */
export async function findUserByUserName(options: DirectoryOptions & { userName: string }): Promise<DirectoryUser | null> {
  return reader(options.tx).directoryUser.findFirst({
    where: { ...inTenant(options.tenantId), userNameKey: userNameKey(options.userName) },
  });
}
