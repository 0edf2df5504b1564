import type { DirectoryUser } from "@/generated/prisma/client";
import type { DirectorySource } from "@/generated/prisma/enums";
import { isUniqueViolation } from "../errors";
import { recordChange } from "./record-change";
import { inTransaction, type DirectoryOptions } from "./scope";
import { userData } from "./user-data";
import { userNameTaken } from "./user-errors";
import { deriveUserColumns, type NewUserFields } from "./user-fields";

export type CreateUserOptions = DirectoryOptions & { source: DirectorySource; fields: NewUserFields };

/** Creates a user; a userName already taken in the tenant, in any letter case, is a CONFLICT on `userName`. */
export async function createUser(options: CreateUserOptions): Promise<DirectoryUser> {
  const { tenantId, source, fields } = options;
  return inTransaction(options.tx, async (tx) => {
    let user: DirectoryUser;
    try {
      user = await tx.directoryUser.create({
        data: {
          ...(userData(fields) as Record<string, never>),
          userName: fields.userName,
          ...deriveUserColumns(fields),
          tenantId,
          source,
        },
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw userNameTaken(fields.userName);
      throw error;
    }
    await recordChange(tx, { tenantId, entity: "USER", entityId: user.id, action: "CREATED", source });
    return user;
  });
}
