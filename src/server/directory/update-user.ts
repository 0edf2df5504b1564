import { Prisma, type DirectoryUser } from "@/generated/prisma/client";
import type { DirectorySource } from "@/generated/prisma/enums";
import { sqlRows } from "../db/sql";
import { AppError, isUniqueViolation } from "../errors";
import { findUser } from "./get-user";
import type { DirectoryOptions } from "./scope";
import { changedFields, fieldsOf } from "./user-data";
import { userNameTaken, userNotFound } from "./user-errors";
import { deriveUserColumns, type UserFields } from "./user-fields";
import { SQL_NOW, changeRowsFromWritten, userColumn, userValue } from "./write-sql";

const { sql, join } = Prisma;

export type UpdateUserOptions = DirectoryOptions & {
  userId: string;
  source: DirectorySource;
  /** The fields to replace; fields left out keep their value. */
  fields: Partial<UserFields>;
  /** The version the caller last read (SCIM If-Match); a newer one is a CONFLICT. */
  expectedVersion?: number;
  /** The user as the caller just read it: spares the lookup (SCIM reads it for If-Match and PATCH). */
  current?: DirectoryUser;
};

/**
 * Replaces the given fields. A change that alters nothing writes nothing: no version bump and no
 * change-feed row, so a client re-sending the same user costs the export side nothing. The write
 * is guarded by the version read, and the row and its UPDATED change are one statement: a
 * concurrent write makes it a "version mismatch" CONFLICT (SCIM Import retries from a fresh read).
 */
export async function updateUser(options: UpdateUserOptions): Promise<DirectoryUser> {
  const { tenantId, userId, source } = options;
  const given =
    options.current && options.current.id === userId.toLowerCase() && options.current.tenantId === tenantId ? options.current : undefined;
  const current = given ?? (await findUser({ tenantId, tx: options.tx, userId }));
  if (!current) throw userNotFound();
  if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) throw staleVersion();
  const currentFields = fieldsOf(current);
  const changed = changedFields(currentFields, options.fields);
  if (Object.keys(changed).length === 0) return current;

  const next = { ...currentFields, ...changed };
  const values: Record<string, unknown> = { ...changed, ...deriveUserColumns(next) };
  const sets = Object.keys(values).map((key) => sql`${userColumn(key)} = ${userValue(key, values[key])}`);
  let rows: DirectoryUser[];
  try {
    rows = await sqlRows<DirectoryUser>(
      sql`
      WITH written AS (
        UPDATE "DirectoryUser" SET ${join(sets, ", ")}, version = version + 1, "updatedAt" = ${SQL_NOW}
        WHERE id = ${current.id}::uuid AND "tenantId" = ${tenantId}::uuid AND version = ${current.version}
        RETURNING *
      ), change AS (${changeRowsFromWritten("USER", "UPDATED", source)})
      SELECT * FROM written`,
      { kind: "point", tx: options.tx },
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw userNameTaken(next.userName);
    throw error;
  }
  if (rows.length === 0) throw staleVersion();
  return rows[0] as DirectoryUser;
}

function staleVersion(): AppError {
  return new AppError("CONFLICT", "This user was changed by someone else in the meantime. Reload and try again.", {
    internal: "version mismatch",
  });
}
