import type { DirectorySource } from "@/generated/prisma/enums";
import { isUuid } from "./ids";
import { recordChange } from "./record-change";
import { inTenant, inTransaction, type DirectoryOptions } from "./scope";
import { userNotFound } from "./user-errors";

/** Deletes the user for good; their group memberships go with them (ON DELETE CASCADE). */
export async function deleteUser(options: DirectoryOptions & { userId: string; source: DirectorySource }): Promise<void> {
  const { tenantId, userId, source } = options;
  if (!isUuid(userId)) throw userNotFound();
  await inTransaction(options.tx, async (tx) => {
    const { count } = await tx.directoryUser.deleteMany({ where: { ...inTenant(tenantId), id: userId } });
    if (count === 0) throw userNotFound();
    await recordChange(tx, { tenantId, entity: "USER", entityId: userId, action: "DELETED", source });
  });
}
