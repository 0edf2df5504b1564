import type { DirectoryGroup, Prisma } from "@/generated/prisma/client";
import type { DirectorySource } from "@/generated/prisma/enums";
import { AppError, isUniqueViolation } from "../errors";
import { findGroup } from "./get-group";
import { groupNameTaken, groupNotFound } from "./group-errors";
import { displayNameKey, type GroupFields } from "./group-fields";
import { recordChange } from "./record-change";
import { inTransaction, isRecordNotFound, type DirectoryOptions } from "./scope";

export type UpdateGroupOptions = DirectoryOptions & {
  groupId: string;
  source: DirectorySource;
  /** The fields to replace (rename = `{ displayName }`); fields left out keep their value. */
  fields: Partial<GroupFields>;
  expectedVersion?: number;
};

/** Replaces the given fields; a change that alters nothing writes nothing. Members are changed through group-members. */
export async function updateGroup(options: UpdateGroupOptions): Promise<DirectoryGroup> {
  const { tenantId, groupId, source, fields } = options;
  return inTransaction(options.tx, async (tx) => {
    const current = await findGroup({ tenantId, tx, groupId });
    if (!current) throw groupNotFound();
    if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) throw staleVersion();
    const changed = (Object.keys(fields) as (keyof GroupFields)[]).filter(
      (key) => fields[key] !== undefined && JSON.stringify(fields[key]) !== JSON.stringify(current[key]),
    );
    if (changed.length === 0) return current;

    const data: Prisma.DirectoryGroupUpdateInput = { version: { increment: 1 } };
    if (changed.includes("displayName")) {
      data.displayName = fields.displayName!;
      data.displayNameKey = displayNameKey(fields.displayName!);
    }
    if (changed.includes("externalId")) data.externalId = fields.externalId ?? null;
    if (changed.includes("description")) data.description = fields.description ?? null;
    if (changed.includes("extra")) data.extra = (fields.extra ?? {}) as Prisma.InputJsonValue;

    let group: DirectoryGroup;
    try {
      group = await tx.directoryGroup.update({ where: { id: current.id, tenantId, version: current.version }, data });
    } catch (error) {
      if (isUniqueViolation(error)) throw groupNameTaken(fields.displayName ?? current.displayName);
      if (isRecordNotFound(error)) throw staleVersion();
      throw error;
    }
    await recordChange(tx, { tenantId, entity: "GROUP", entityId: group.id, action: "UPDATED", source });
    return group;
  });
}

function staleVersion(): AppError {
  return new AppError("CONFLICT", "This group was changed by someone else in the meantime. Reload and try again.", {
    internal: "version mismatch",
  });
}
