import { randomUUID } from "node:crypto";
import { Prisma, type DirectoryUser } from "@/generated/prisma/client";
import type { DirectorySource } from "@/generated/prisma/enums";
import { sqlRows } from "../db/sql";
import { isUniqueViolation } from "../errors";
import type { DirectoryOptions } from "./scope";
import { userNameTaken } from "./user-errors";
import { deriveUserColumns, type NewUserFields } from "./user-fields";
import { SQL_NOW, changeRowsFromWritten, userColumn, userValue } from "./write-sql";

const { sql, join } = Prisma;

export type CreateUserOptions = DirectoryOptions & { source: DirectorySource; fields: NewUserFields };

/**
 * Creates a user; a userName already taken in the tenant, in any letter case, is a CONFLICT on
 * `userName`. The row and its CREATED change are one statement (they commit together, in one round
 * trip instead of an interactive transaction's five: bench:scim-import, create users); in the
 * caller's transaction when there is one. Fields left out take the column's default.
 */
export async function createUser(options: CreateUserOptions): Promise<DirectoryUser> {
  const { tenantId, source, fields } = options;
  const values: Record<string, unknown> = { ...fields, ...deriveUserColumns(fields) };
  const keys = Object.keys(values).filter((key) => values[key] !== undefined);
  try {
    const rows = await sqlRows<DirectoryUser>(
      sql`
      WITH written AS (
        INSERT INTO "DirectoryUser" (id, "tenantId", source, "createdAt", "updatedAt", ${join(keys.map(userColumn), ", ")})
        VALUES (${randomUUID()}::uuid, ${tenantId}::uuid, ${source}::"DirectorySource", ${SQL_NOW}, ${SQL_NOW}, ${join(
          keys.map((key) => userValue(key, values[key])),
          ", ",
        )})
        RETURNING *
      ), change AS (${changeRowsFromWritten("USER", "CREATED", source)})
      SELECT * FROM written`,
      { kind: "point", tx: options.tx },
    );
    return rows[0] as DirectoryUser;
  } catch (error) {
    if (isUniqueViolation(error)) throw userNameTaken(fields.userName);
    throw error;
  }
}
