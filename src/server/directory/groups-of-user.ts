import type { DirectoryGroup } from "@/generated/prisma/client";
import { getUser } from "./get-user";
import { inTenant, reader, type DirectoryOptions } from "./scope";

/** The groups the user is a direct member of, by name. NOT_FOUND for another tenant's user. */
export async function groupsOfUser(options: DirectoryOptions & { userId: string }): Promise<DirectoryGroup[]> {
  const user = await getUser(options);
  return reader(options.tx).directoryGroup.findMany({
    where: { ...inTenant(options.tenantId), members: { some: { userId: user.id } } },
    orderBy: { displayNameKey: "asc" },
  });
}
