import { Prisma, type DirectoryUser } from "@/generated/prisma/client";
import type { ProvisioningOperation } from "@/lib/provisioning-operations";
import { db, pool, type DbTx } from "../db";
import { sqlRows } from "../db/sql";
import { deleteUser, findUser, type UserFields } from "../directory";
import {
  ScimError,
  USER_RESOURCE,
  activeOnlyPatch,
  applyPatchOperations,
  assertIfMatch,
  checkPreconditions,
  etagFromVersion,
  filterToSql,
  listResponse,
  normalizeUser,
  parsePatchRequest,
  sortToSql,
  type ListQuery,
} from "../scim";
import { project, toPrismaSql, wantsAttribute } from "./list-support";
import { retryOnConflict, toScimError, type ScimContext, type ScimResult } from "./scim-result";
import { queryAllUsers, renderRows, renderUsers, type PageRow, type UserRow } from "./user-pages";
import { insertScimUser, setScimUserActive, updateScimUser } from "./user-writes";
import { USER_SQL_MAPPING, fieldsFromScimUser, toScimUser, type UserGroupRef } from "./user-resource";

const { sql, join, raw } = Prisma;

type Selection = Pick<ListQuery, "attributes" | "excludedAttributes">;
const ALL: Selection = { attributes: [], excludedAttributes: [] };

export type Preconditions = { ifMatch?: string | null; ifNoneMatch?: string | null };

/** Direct groups of the given users, in one query. */
async function groupsOfUsers(client: DbTx, tenantId: string, userIds: string[]): Promise<Map<string, UserGroupRef[]>> {
  const map = new Map<string, UserGroupRef[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return map;
  const rows = await client.$queryRaw<{ userId: string; id: string; displayName: string }[]>(sql`
    SELECT m."userId", g.id, g."displayName" FROM "GroupMember" m JOIN "DirectoryGroup" g ON g.id = m."groupId"
    WHERE g."tenantId" = ${tenantId}::uuid AND m."userId" = ANY(${userIds}::uuid[]) ORDER BY g."displayNameKey"`);
  for (const row of rows) map.get(row.userId)?.push({ id: row.id, displayName: row.displayName });
  return map;
}

async function render(ctx: ScimContext, user: DirectoryUser, selection: Selection, client: DbTx = db()) {
  const groups = wantsAttribute(selection, "groups") ? (await groupsOfUsers(client, ctx.tenantId, [user.id])).get(user.id) : undefined;
  return project(toScimUser(user, ctx.baseUrl, groups), selection, USER_RESOURCE);
}

function single(status: number, resource: unknown, user: DirectoryUser, operation: ProvisioningOperation, extraHeaders: Record<string, string> = {}): ScimResult {
  return {
    status,
    body: resource,
    headers: { ETag: etagFromVersion(user.version), ...extraHeaders },
    event: { operation, resourceType: "User", resourceId: user.id, resourceName: user.userName },
  };
}

/**
 * `LEFT JOIN LATERAL … gr`: the direct groups of the user row aliased `alias`, as the JSON array
 * `gr."scimGroups"` (null when none), so a user and its groups come back from one query.
 */
function groupsOfRow(alias: "p"): Prisma.Sql {
  return sql`LEFT JOIN LATERAL (${groupsOfUser(alias)}) gr ON true`;
}

/** The direct groups of the user row aliased `alias` as one JSON array (null when none). */
function groupsOfUser(alias: "p" | "r" | "u"): Prisma.Sql {
  return sql`SELECT json_agg(json_build_object('id', g.id, 'displayName', g."displayName") ORDER BY g."displayNameKey") AS "scimGroups"
    FROM "GroupMember" m JOIN "DirectoryGroup" g ON g.id = m."groupId" WHERE m."userId" = ${raw(alias)}.id`;
}

/** A trusted predicate for the user table (alias `u`): tenant first, then the client's filter. */
export function userWhere(tenantId: string, query: Pick<ListQuery, "filter">): Prisma.Sql {
  const parts = [sql`u."tenantId" = ${tenantId}::uuid`];
  if (query.filter) parts.push(toPrismaSql(filterToSql(query.filter, USER_SQL_MAPPING)));
  return join(parts, " AND ");
}

/** A page of users and the total (RFC 7644 §3.4.2). The order always ends in `id`, so pages never overlap. */
export async function queryUsers(ctx: ScimContext, query: ListQuery, offset: number, limit: number): Promise<{ total: number; resources: unknown[] }> {
  // The whole directory in its default order (what Okta and Entra page through on import): the
  // total and the page cost the same whatever the tenant's size (user-pages.ts).
  if (!query.filter && !query.sortBy) {
    const page = await queryAllUsers(ctx, query, offset, limit);
    if (page) return page;
  }
  const where = userWhere(ctx.tenantId, query);
  const order = query.sortBy
    ? sql`${toPrismaSql(sortToSql(query.sortBy, query.sortOrder, USER_SQL_MAPPING))}, u.id`
    : sql`u."createdAt", u.id`;
  const withGroups = wantsAttribute(query, "groups");
  // The total is a count that reads no row data; a window count in the page query would read
  // every matching row in full for every page.
  const count = sql`SELECT count(*)::int AS "scimTotal" FROM "DirectoryUser" u WHERE ${where}`;
  if (limit <= 0) {
    const [counted] = await sqlRows<{ scimTotal: number }>(count, pool());
    return { total: counted?.scimTotal ?? 0, resources: [] };
  }
  if (offset === 0) {
    // The first page: an index scan that stops after LIMIT rows, each user's groups read for the
    // returned users only. A lookup (userName eq, externalId eq…) is shorter than `count`: its
    // length is the total, and no count runs (bench:scim-import lookup: a third less PostgreSQL time).
    const groups = withGroups ? sql`, (${groupsOfUser("u")}) AS "scimGroups"` : sql``;
    const rows = await sqlRows<UserRow>(sql`SELECT u.*${groups} FROM "DirectoryUser" u WHERE ${where} ORDER BY ${order} LIMIT ${limit}`);
    const resources = renderUsers(ctx, query, rows, withGroups);
    if (rows.length < limit) return { total: rows.length, resources };
    // Counted in a snapshot of its own: never fewer than the page shows.
    const [counted] = await sqlRows<{ scimTotal: number }>(count, pool());
    return { total: Math.max(counted?.scimTotal ?? 0, rows.length), resources };
  }
  // Deep pages: the ids first (an index scan that skips the rows it passes over), then the rows,
  // with the total in the same statement, one round trip (an empty page still returns the total's row).
  const groupsJoin = withGroups ? groupsOfRow("p") : sql``;
  const selectGroups = withGroups ? sql`, gr."scimGroups"` : sql``;
  const page = sql`WITH page AS (
      SELECT u.id, row_number() OVER (ORDER BY ${order}) AS "scimRow" FROM "DirectoryUser" u WHERE ${where} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}
    )
    SELECT p.*, page."scimRow"${selectGroups} FROM page JOIN "DirectoryUser" p ON p.id = page.id ${groupsJoin}`;
  const rows = await sqlRows<PageRow>(sql`SELECT c."scimTotal", r.* FROM (${count}) c LEFT JOIN LATERAL (${page}) r ON true ORDER BY r."scimRow"`, pool());
  return { total: rows[0]?.scimTotal ?? 0, resources: renderRows(ctx, query, rows, withGroups) };
}

export async function listScimUsers(ctx: ScimContext, query: ListQuery): Promise<ScimResult> {
  const { total, resources } = await queryUsers(ctx, query, query.startIndex - 1, query.count);
  return { status: 200, body: listResponse(resources, { totalResults: total, startIndex: query.startIndex }), event: { operation: query.filter ? "lookup" : "list", resourceType: "User", resourceName: query.filterText } };
}

export async function getScimUser(ctx: ScimContext, id: string, selection: Selection, pre: Preconditions): Promise<ScimResult> {
  const user = await findUser({ tenantId: ctx.tenantId, userId: id });
  if (!user) throw ScimError.notFound("User", id);
  if (pre.ifNoneMatch && checkPreconditions({ ifNoneMatch: pre.ifNoneMatch }, user.version, "GET") === "notModified") {
    return { status: 304, headers: { ETag: etagFromVersion(user.version) }, event: { operation: "lookup", resourceType: "User", resourceId: user.id, resourceName: user.userName } };
  }
  return single(200, await render(ctx, user, selection), user, "lookup");
}

export async function createScimUser(ctx: ScimContext, body: unknown, selection: Selection = ALL): Promise<ScimResult> {
  const fields = fieldsFromScimUser(normalizeUser(body));
  const user = await insertScimUser({ tenantId: ctx.tenantId, fields }).catch((error) => {
    throw toScimError(error);
  });
  const resource = project(toScimUser(user, ctx.baseUrl, []), selection, USER_RESOURCE);
  return single(201, resource, user, "user created", { Location: `${ctx.baseUrl}/Users/${user.id}` });
}

function updateOperation(before: DirectoryUser, after: DirectoryUser): ProvisioningOperation {
  if (before.active && !after.active) return "user deactivated";
  if (!before.active && after.active) return "user reactivated";
  return "user updated";
}

type UserChange = { before: DirectoryUser; after: DirectoryUser; groups: UserGroupRef[] | undefined };

/**
 * Loads the user (and its groups when the response shows them: a user write never changes them),
 * checks If-Match, computes the new fields and writes them with the row's change record in one
 * version-guarded statement (user-writes.ts): two round trips. Lost races are retried from a fresh read.
 */
async function changeUser(ctx: ScimContext, id: string, pre: Preconditions, withGroups: boolean, compute: (current: DirectoryUser) => UserFields): Promise<UserChange> {
  try {
    return await retryOnConflict(async () => {
      const read = await readUser(ctx.tenantId, id, withGroups);
      if (!read) throw ScimError.notFound("User", id);
      const { user: current, groups } = read;
      assertIfMatch(pre.ifMatch, current.version);
      // All operations were applied to one copy in memory; one guarded statement writes the result.
      const after = await updateScimUser({ tenantId: ctx.tenantId, current, fields: compute(current) });
      return { before: current, after, groups };
    });
  } catch (error) {
    throw toScimError(error);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The tenant's user by id, with its groups when asked, in one plain query (any string id; not a
 * UUID is simply none). bench:scim-import, deactivate: one query instead of the row and its
 * groups side by side.
 */
async function readUser(tenantId: string, id: string, withGroups: boolean): Promise<{ user: DirectoryUser; groups: UserGroupRef[] | undefined } | null> {
  if (!UUID.test(id)) return null;
  const rows = await sqlRows<DirectoryUser & { scimGroups?: UserGroupRef[] | null }>(
    withGroups
      ? sql`SELECT u.*, (${groupsOfUser("u")}) AS "scimGroups" FROM "DirectoryUser" u WHERE u.id = ${id}::uuid AND u."tenantId" = ${tenantId}::uuid`
      : sql`SELECT * FROM "DirectoryUser" WHERE id = ${id}::uuid AND "tenantId" = ${tenantId}::uuid`,
  );
  const row = rows[0];
  if (!row) return null;
  const { scimGroups, ...user } = row;
  return { user, groups: withGroups ? (scimGroups ?? []) : undefined };
}

/** The response of a write: the user as written, with the groups read before it. */
async function renderAfterWrite(ctx: ScimContext, selection: Selection, write: Promise<UserChange>): Promise<ScimResult> {
  const { before, after, groups } = await write;
  const resource = project(toScimUser(after, ctx.baseUrl, groups), selection, USER_RESOURCE);
  return single(200, resource, after, updateOperation(before, after));
}

/** PUT (RFC 7644 §3.5.1): the body replaces the user; read-only attributes it echoes are ignored. */
export async function replaceScimUser(ctx: ScimContext, id: string, body: unknown, pre: Preconditions, selection: Selection = ALL): Promise<ScimResult> {
  const input = normalizeUser(body);
  return renderAfterWrite(ctx, selection, changeUser(ctx, id, pre, wantsAttribute(selection, "groups"), () => fieldsFromScimUser(input)));
}

/** PATCH (RFC 7644 §3.5.2): all operations apply to one copy, validated whole, written once: atomic. */
export async function patchScimUser(ctx: ScimContext, id: string, body: unknown, pre: Preconditions, selection: Selection = ALL): Promise<ScimResult> {
  const operations = parsePatchRequest(body);
  // A deactivate or reactivate needs no read first (an If-Match needs the version read to answer 412).
  const active = pre.ifMatch ? undefined : activeOnlyPatch(operations);
  if (active !== undefined) return setActive(ctx, id, active, selection);
  const write = changeUser(ctx, id, pre, wantsAttribute(selection, "groups"), (current) => {
    const patched = applyPatchOperations(toScimUser(current, ctx.baseUrl), operations, USER_RESOURCE);
    return fieldsFromScimUser(normalizeUser(patched));
  });
  return renderAfterWrite(ctx, selection, write);
}

/** A PATCH that only sets `active`, as one statement (user-writes.ts). */
async function setActive(ctx: ScimContext, id: string, active: boolean, selection: Selection): Promise<ScimResult> {
  if (!UUID.test(id)) throw ScimError.notFound("User", id);
  const withGroups = wantsAttribute(selection, "groups");
  const row = await setScimUserActive<{ scimGroups?: UserGroupRef[] | null }>({
    tenantId: ctx.tenantId,
    id,
    active,
    extraColumns: withGroups ? sql`, (${groupsOfUser("r")}) AS "scimGroups"` : undefined,
  }).catch((error) => {
    throw toScimError(error);
  });
  if (!row) throw ScimError.notFound("User", id);
  const { scimChanged, scimGroups, ...user } = row;
  const resource = project(toScimUser(user, ctx.baseUrl, withGroups ? (scimGroups ?? []) : undefined), selection, USER_RESOURCE);
  return single(200, resource, user, !scimChanged ? "user updated" : active ? "user reactivated" : "user deactivated");
}

/** DELETE: gone for good, memberships too; the userName is free again. */
export async function deleteScimUser(ctx: ScimContext, id: string, pre: Preconditions): Promise<ScimResult> {
  const user = await findUser({ tenantId: ctx.tenantId, userId: id });
  if (!user) throw ScimError.notFound("User", id);
  assertIfMatch(pre.ifMatch, user.version);
  await deleteUser({ tenantId: ctx.tenantId, userId: user.id, source: "SCIM" }).catch((error) => {
    throw toScimError(error);
  });
  return { status: 204, event: { operation: "user deleted", resourceType: "User", resourceId: user.id, resourceName: user.userName } };
}
