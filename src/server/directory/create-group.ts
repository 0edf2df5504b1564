import type { DirectoryGroup, Prisma } from "@/generated/prisma/client";
import type { DirectorySource } from "@/generated/prisma/enums";
import { isUniqueViolation } from "../errors";
import { groupNameTaken } from "./group-errors";
import { displayNameKey, type NewGroupFields } from "./group-fields";
import { addMembers } from "./group-members";
import { recordChange } from "./record-change";
import { inTransaction, type DirectoryOptions } from "./scope";

export type CreateGroupOptions = DirectoryOptions & {
  source: DirectorySource;
  fields: NewGroupFields;
  /** Initial members (SCIM POST /Groups carries them); unknown ids fail the whole creation. */
  members?: { userIds?: string[]; groupIds?: string[] };
};

/** Creates a group; a name already taken in the tenant, in any letter case, is a CONFLICT on `displayName`. */
export async function createGroup(options: CreateGroupOptions): Promise<DirectoryGroup> {
  const { tenantId, source, fields } = options;
  return inTransaction(options.tx, async (tx) => {
    let group: DirectoryGroup;
    try {
      group = await tx.directoryGroup.create({
        data: {
          tenantId,
          source,
          displayName: fields.displayName,
          displayNameKey: displayNameKey(fields.displayName),
          externalId: fields.externalId ?? null,
          description: fields.description ?? null,
          extra: (fields.extra ?? {}) as Prisma.InputJsonValue,
        },
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw groupNameTaken(fields.displayName);
      throw error;
    }
    await recordChange(tx, { tenantId, entity: "GROUP", entityId: group.id, action: "CREATED", source });
    if (options.members?.userIds?.length || options.members?.groupIds?.length) {
      // The CREATED row already tells subscribers to read the whole group.
      await addMembers(tx, tenantId, group.id, options.members);
    }
    return group;
  });
}
