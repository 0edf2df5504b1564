import type { DirectorySource } from "@/generated/prisma/enums";
import { groupNotFound } from "./group-errors";
import { isUuid } from "./ids";
import { recordChange } from "./record-change";
import { inTenant, inTransaction, type DirectoryOptions } from "./scope";

/** Deletes the group; its memberships and nestings go with it. The users stay. */
export async function deleteGroup(options: DirectoryOptions & { groupId: string; source: DirectorySource }): Promise<void> {
  const { tenantId, groupId, source } = options;
  if (!isUuid(groupId)) throw groupNotFound();
  await inTransaction(options.tx, async (tx) => {
    const { count } = await tx.directoryGroup.deleteMany({ where: { ...inTenant(tenantId), id: groupId } });
    if (count === 0) throw groupNotFound();
    await recordChange(tx, { tenantId, entity: "GROUP", entityId: groupId, action: "DELETED", source });
  });
}
