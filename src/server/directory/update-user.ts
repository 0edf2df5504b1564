import type { DirectoryUser } from "@/generated/prisma/client";
import type { DirectorySource } from "@/generated/prisma/enums";
import { AppError, isUniqueViolation } from "../errors";
import { findUser } from "./get-user";
import { recordChange } from "./record-change";
import { inTransaction, isRecordNotFound, type DirectoryOptions } from "./scope";
import { changedFields, fieldsOf, userData } from "./user-data";
import { userNameTaken, userNotFound } from "./user-errors";
import { deriveUserColumns, type UserFields } from "./user-fields";

export type UpdateUserOptions = DirectoryOptions & {
  userId: string;
  source: DirectorySource;
  /** The fields to replace; fields left out keep their value. */
  fields: Partial<UserFields>;
  /** The version the caller last read (SCIM If-Match); a newer one is a CONFLICT. */
  expectedVersion?: number;
};

/**
 * Replaces the given fields. A change that alters nothing writes nothing: no version bump and no
 * change-feed row, so a client re-sending the same user costs the export side nothing.
 */
export async function updateUser(options: UpdateUserOptions): Promise<DirectoryUser> {
  const { tenantId, userId, source } = options;
  return inTransaction(options.tx, async (tx) => {
    const current = await findUser({ tenantId, tx, userId });
    if (!current) throw userNotFound();
    if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) throw staleVersion();
    const currentFields = fieldsOf(current);
    const changed = changedFields(currentFields, options.fields);
    if (Object.keys(changed).length === 0) return current;

    const next = { ...currentFields, ...changed };
    let user: DirectoryUser;
    try {
      user = await tx.directoryUser.update({
        // The version in the where clause turns a concurrent write into "not found" instead of a lost update.
        where: { id: current.id, tenantId, version: current.version },
        data: { ...userData(changed), ...deriveUserColumns(next), version: { increment: 1 } },
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw userNameTaken(next.userName);
      if (isRecordNotFound(error)) throw staleVersion();
      throw error;
    }
    await recordChange(tx, { tenantId, entity: "USER", entityId: user.id, action: "UPDATED", source });
    return user;
  });
}

function staleVersion(): AppError {
  return new AppError("CONFLICT", "This user was changed by someone else in the meantime. Reload and try again.", {
    internal: "version mismatch",
  });
}
