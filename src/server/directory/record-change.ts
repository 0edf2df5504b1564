import type { DirectoryAction, DirectoryEntity, DirectorySource } from "@/generated/prisma/enums";
import type { DbTx } from "../db";

export type DirectoryChangeInput = {
  tenantId: string;
  entity: DirectoryEntity;
  entityId: string;
  action: DirectoryAction;
  source: DirectorySource;
};

/**
 * Appends to the change feed. Always called with the transaction that made the change, so a
 * subscriber (SCIM Export) sees a change exactly when it committed.
 */
export async function recordChange(tx: DbTx, change: DirectoryChangeInput): Promise<void> {
  await tx.directoryChange.create({ data: change, select: { id: true } });
}
