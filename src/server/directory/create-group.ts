import { randomUUID } from "node:crypto";
import { Prisma, type DirectoryGroup } from "@/generated/prisma/client";
import type { DirectorySource } from "@/generated/prisma/enums";
import type { DbTx } from "../db";
import { sqlRows } from "../db/sql";
import { isUniqueViolation } from "../errors";
import { groupNameTaken } from "./group-errors";
import { displayNameKey, type NewGroupFields } from "./group-fields";
import { addMembers, type MemberDelta } from "./group-members";
import { inTransaction, type DirectoryOptions } from "./scope";
import { SQL_NOW, changeRowsFromWritten } from "./write-sql";

const { sql } = Prisma;

export type CreateGroupOptions = DirectoryOptions & {
  source: DirectorySource;
  fields: NewGroupFields;
  /** Initial members (SCIM POST /Groups carries them); unknown ids fail the whole creation. */
  members?: MemberDelta;
};

/** Creates a group; a name already taken in the tenant, in any letter case, is a CONFLICT on `displayName`. */
export async function createGroup(options: CreateGroupOptions): Promise<DirectoryGroup> {
  const { tenantId } = options;
  const members = options.members;
  if (!members?.userIds?.length && !members?.groupIds?.length && !members?.memberIds?.length) {
    // No members: the group and its change row are one statement, no interactive transaction
    // (bench:scim-import, create groups: 8 round trips per request → 3).
    return insertGroup(options.tx, options);
  }
  return inTransaction(options.tx, async (tx) => {
    const group = await insertGroup(tx, options);
    // The CREATED row already tells subscribers to read the whole group.
    await addMembers(tx, tenantId, group.id, members);
    return group;
  });
}

/**
 * The group row and its CREATED change, written by one point statement: in the caller's
 * transaction, or else on its own (a prepared statement: Prisma plans this CTE anew every time).
 */
async function insertGroup(tx: DbTx | undefined, options: CreateGroupOptions): Promise<DirectoryGroup> {
  const { tenantId, source, fields } = options;
  try {
    const query = sql`
      WITH written AS (
        INSERT INTO "DirectoryGroup" (id, "tenantId", "displayName", "displayNameKey", "externalId", description, extra, source, "createdAt", "updatedAt")
        VALUES (${randomUUID()}::uuid, ${tenantId}::uuid, ${fields.displayName}, ${displayNameKey(fields.displayName)}, ${fields.externalId ?? null},
          ${fields.description ?? null}, ${JSON.stringify(fields.extra ?? {})}::jsonb, ${source}::"DirectorySource", ${SQL_NOW}, ${SQL_NOW})
        RETURNING *
      ), change AS (${changeRowsFromWritten("GROUP", "CREATED", source)})
      SELECT * FROM written`;
    const rows = await sqlRows<DirectoryGroup>(query, { kind: "point", tx });
    return rows[0] as DirectoryGroup;
  } catch (error) {
    if (isUniqueViolation(error)) throw groupNameTaken(fields.displayName);
    throw error;
  }
}
