import { Prisma } from "@/generated/prisma/client";
import type { DirectoryAction, DirectoryEntity, DirectorySource } from "@/generated/prisma/enums";

const { sql, raw } = Prisma;

/**
 * The database clock as Prisma stores DateTime (UTC wall time in `timestamp(3)`), for writes done
 * in SQL so that their rows read back exactly like rows Prisma wrote.
 */
export const SQL_NOW = raw(`(now() AT TIME ZONE 'UTC')`);

/**
 * The body of a CTE that appends one DirectoryChange per row of the CTE `written` (which must
 * return "tenantId" and id). A write and its change row in one statement commit together, like
 * recordChange inside a transaction, in one round trip instead of BEGIN … COMMIT's four or more.
 */
export function changeRowsFromWritten(entity: DirectoryEntity, action: DirectoryAction, source: DirectorySource): Prisma.Sql {
  return sql`INSERT INTO "DirectoryChange" ("tenantId", entity, "entityId", action, source, at)
    SELECT "tenantId", ${entity}::"DirectoryEntity", id, ${action}::"DirectoryAction", ${source}::"DirectorySource", ${SQL_NOW} FROM written`;
}

/** A user column named in code (a field of UserFields or a derived column), quoted. */
export function userColumn(name: string): Prisma.Sql {
  if (!/^[A-Za-z]+$/.test(name)) throw new Error(`unexpected column ${name}`);
  return raw(`"${name}"`);
}

const USER_JSON_COLUMNS = new Set(["emails", "phoneNumbers", "addresses", "extra"]);

/** A user column's value as a parameter; jsonb columns as their JSON text, empty when missing. */
export function userValue(name: string, value: unknown): Prisma.Sql {
  if (USER_JSON_COLUMNS.has(name)) return sql`${JSON.stringify(value ?? (name === "extra" ? {} : []))}::jsonb`;
  return sql`${value ?? null}`;
}
