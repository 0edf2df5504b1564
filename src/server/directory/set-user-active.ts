import { Prisma, type DirectoryUser } from "@/generated/prisma/client";
import type { DirectorySource } from "@/generated/prisma/enums";
import { sqlRows } from "../db/sql";
import { groupsColumn, splitGroups, type UserGroupRef, type UserWithGroups } from "./user-group-refs";
import { isUuid } from "./ids";
import type { DirectoryOptions } from "./scope";
import { userNotFound } from "./user-errors";
import { SQL_NOW, changeRowsFromWritten } from "./write-sql";

const { sql } = Prisma;

export type SetUserActiveOptions = DirectoryOptions & { userId: string; active: boolean; source: DirectorySource };

/** Deactivates or reactivates a user (SCIM's soft delete: `active: false`). NOT_FOUND for an unknown id. */
export async function setUserActive(options: SetUserActiveOptions): Promise<DirectoryUser> {
  const written = await writeUserActive({ ...options, withGroups: false });
  if (!written) throw userNotFound();
  return written.user;
}

export type ActiveWrite = UserWithGroups<DirectoryUser> & { changed: boolean };

/**
 * Sets `active` without reading the user first, in one statement: an IdP's deactivate or
 * reactivate (bench:scim-import deactivate: one round trip instead of a read and a guarded write).
 * The row is updated only if `active` differs, with its UPDATED change; otherwise it is returned
 * as it is (`changed` false: no version bump, no change row, like updateUser). With `withGroups`,
 * the user's groups come back from the same statement. Null when there is no such user.
 */
export async function writeUserActive(options: SetUserActiveOptions & { withGroups: boolean }): Promise<ActiveWrite | null> {
  const { tenantId, userId: id, active, source, withGroups } = options;
  if (!isUuid(id)) return null;
  type Row = DirectoryUser & { scimChanged: boolean; scimGroups?: UserGroupRef[] | null };
  const query = sql`
    WITH written AS (
      UPDATE "DirectoryUser" SET active = ${active}, version = version + 1, "updatedAt" = ${SQL_NOW}
      WHERE id = ${id}::uuid AND "tenantId" = ${tenantId}::uuid AND active <> ${active}
      RETURNING *
    ), change AS (${changeRowsFromWritten("USER", "UPDATED", source)})
    SELECT r.*${withGroups ? sql`, ${groupsColumn("r")}` : sql``} FROM (
      SELECT *, true AS "scimChanged" FROM written
      UNION ALL
      SELECT *, false FROM "DirectoryUser" WHERE id = ${id}::uuid AND "tenantId" = ${tenantId}::uuid AND NOT EXISTS (SELECT FROM written)
    ) r`;
  for (;;) {
    const [row] = await sqlRows<Row>(query, { kind: "point", tx: options.tx });
    // Not updated, yet not at the value asked either: another write changed the row after this
    // statement's snapshot was taken (the UPDATE saw the new row, the SELECT the old). Read again.
    if (row && !row.scimChanged && row.active !== active) continue;
    if (!row) return null;
    const { scimChanged, ...rest } = row;
    return { ...splitGroups<DirectoryUser>(rest, withGroups), changed: scimChanged };
  }
}
