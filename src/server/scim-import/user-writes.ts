import { randomUUID } from "node:crypto";
import { Prisma, type DirectoryUser } from "@/generated/prisma/client";
import { sqlRows } from "../db/sql";
import { AppError, isUniqueViolation } from "../errors";
import { deriveUserColumns, type UserFields } from "../directory";
import { changedFields, fieldsOf } from "../directory/user-data";
import { userNameTaken } from "../directory/user-errors";
import { SQL_NOW as NOW, changeRowsFromWritten } from "../directory/write-sql";

/**
 * SCIM Import's hot writes (create, and replace/PATCH of a user) as one SQL statement each: the
 * row and its DirectoryChange (source SCIM) are written by the same statement, so they commit
 * together exactly as the directory layer's transaction does, in one round trip instead of an
 * interactive transaction's five or six. Same helpers as src/server/directory (derived columns,
 * change detection, errors), so both writers store identical rows.
 */
const { sql, join, raw } = Prisma;

const JSON_FIELDS = new Set<keyof UserFields>(["emails", "phoneNumbers", "addresses", "extra"]);

function column(name: string): Prisma.Sql {
  if (!/^[A-Za-z]+$/.test(name)) throw new Error(`unexpected column ${name}`);
  return raw(`"${name}"`);
}

function valueOf(key: string, value: unknown): Prisma.Sql {
  if (JSON_FIELDS.has(key as keyof UserFields)) return sql`${JSON.stringify(value ?? (key === "extra" ? {} : []))}::jsonb`;
  return sql`${value ?? null}`;
}

function changeRow(action: "CREATED" | "UPDATED"): Prisma.Sql {
  return changeRowsFromWritten("USER", action, "SCIM");
}

/** Creates a user (source SCIM); a userName taken in any letter case is a CONFLICT on `userName`. */
export async function insertScimUser(options: { tenantId: string; fields: UserFields }): Promise<DirectoryUser> {
  const { fields } = options;
  const values: Record<string, unknown> = { ...fields, ...deriveUserColumns(fields) };
  const keys = Object.keys(values);
  try {
    const rows = await sqlRows<DirectoryUser>(sql`
      WITH written AS (
        INSERT INTO "DirectoryUser" (id, "tenantId", source, "createdAt", "updatedAt", ${join(keys.map(column), ", ")})
        VALUES (${randomUUID()}::uuid, ${options.tenantId}::uuid, 'SCIM'::"DirectorySource", ${NOW}, ${NOW}, ${join(keys.map((key) => valueOf(key, values[key])), ", ")})
        RETURNING *
      ), change AS (${changeRow("CREATED")})
      SELECT * FROM written`);
    return rows[0] as DirectoryUser;
  } catch (error) {
    if (isUniqueViolation(error)) throw userNameTaken(fields.userName);
    throw error;
  }
}

export function staleUserVersion(): AppError {
  return new AppError("CONFLICT", "This user was changed by someone else in the meantime.", { internal: "version mismatch" });
}

/**
 * Writes `fields` over `current` if anything differs (else returns `current`: no version bump, no
 * change row). Guarded by the version read: a concurrent write makes it a "version mismatch"
 * CONFLICT, which the caller retries from a fresh read.
 */
export async function updateScimUser(options: { tenantId: string; current: DirectoryUser; fields: UserFields }): Promise<DirectoryUser> {
  const { current } = options;
  const changed = changedFields(fieldsOf(current), options.fields);
  if (Object.keys(changed).length === 0) return current;
  const next = { ...fieldsOf(current), ...changed };
  const values: Record<string, unknown> = { ...changed, ...deriveUserColumns(next) };
  const sets = Object.keys(values).map((key) => sql`${column(key)} = ${valueOf(key, values[key])}`);
  try {
    const rows = await sqlRows<DirectoryUser>(sql`
      WITH written AS (
        UPDATE "DirectoryUser" SET ${join(sets, ", ")}, version = version + 1, "updatedAt" = ${NOW}
        WHERE id = ${current.id}::uuid AND "tenantId" = ${options.tenantId}::uuid AND version = ${current.version}
        RETURNING *
      ), change AS (${changeRow("UPDATED")})
      SELECT * FROM written`);
    if (rows.length === 0) throw staleUserVersion();
    return rows[0] as DirectoryUser;
  } catch (error) {
    if (isUniqueViolation(error)) throw userNameTaken(next.userName);
    throw error;
  }
}

export type ActiveWrite<Extra> = DirectoryUser & Extra & { scimChanged: boolean };

/**
 * Sets `active` without reading the user first, in one statement: an IdP's deactivate or
 * reactivate (bench:scim-import deactivate: one round trip instead of a read and a guarded write).
 * The row is updated only if `active` differs, with its DirectoryChange; otherwise it is returned as
 * it is (`scimChanged` false: no version bump, no change row, like updateScimUser). `extraColumns`
 * are computed from the result row `r` (its groups). Null when there is no such user.
 */
export async function setScimUserActive<Extra = object>(options: { tenantId: string; id: string; active: boolean; extraColumns?: Prisma.Sql }): Promise<ActiveWrite<Extra> | null> {
  const { tenantId, id, active } = options;
  const query = sql`
    WITH written AS (
      UPDATE "DirectoryUser" SET active = ${active}, version = version + 1, "updatedAt" = ${NOW}
      WHERE id = ${id}::uuid AND "tenantId" = ${tenantId}::uuid AND active <> ${active}
      RETURNING *
    ), change AS (${changeRow("UPDATED")})
    SELECT r.*${options.extraColumns ?? sql``} FROM (
      SELECT *, true AS "scimChanged" FROM written
      UNION ALL
      SELECT *, false FROM "DirectoryUser" WHERE id = ${id}::uuid AND "tenantId" = ${tenantId}::uuid AND NOT EXISTS (SELECT FROM written)
    ) r`;
  for (;;) {
    const [row] = await sqlRows<ActiveWrite<Extra>>(query);
    // Not updated, yet not at the value asked either: another write changed the row after this
    // statement's snapshot was taken (the UPDATE saw the new row, the SELECT the old). Read again.
    if (row && !row.scimChanged && row.active !== active) continue;
    return row ?? null;
  }
}
