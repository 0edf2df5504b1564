import type { DirectoryUser } from "@/generated/prisma/client";
import { isUuid } from "./ids";
import { inTenant, reader, type DirectoryOptions } from "./scope";
import { userNotFound } from "./user-errors";
import { userNameKey } from "./user-fields";

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

/** By the canonical key (user-fields.ts `userNameKey`), as userName uniqueness is. */
export async function findUserByUserName(options: DirectoryOptions & { userName: string }): Promise<DirectoryUser | null> {
  return reader(options.tx).directoryUser.findFirst({
    where: { ...inTenant(options.tenantId), userNameKey: userNameKey(options.userName) },
  });
}
