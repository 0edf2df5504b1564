import { Prisma, type DirectoryGroup } from "@/generated/prisma/client";
import type { ProvisioningOperation } from "@/lib/provisioning-operations";
import { db, type DbTx } from "../db";
import { addUsersInOneStatement } from "../directory/group-members";
import { addGroupMembers, createGroup, deleteGroup, findGroup, removeGroupMembers, replaceGroupMembers, updateGroup } from "../directory";
import {
  GROUP_RESOURCE,
  SCHEMA,
  ScimError,
  applyPatchOperations,
  assertIfMatch,
  checkPreconditions,
  etagFromVersion,
  filterToSql,
  listResponse,
  normalizeGroup,
  planGroupPatch,
  sortToSql,
  type ListQuery,
} from "../scim";
import { GROUP_SQL_MAPPING, toScimGroup, type GroupMemberRef } from "./group-resource";
import { project, toPrismaSql, wantsAttribute } from "./list-support";
import { retryOnConflict, toScimError, type ScimContext, type ScimResult } from "./scim-result";
import type { Preconditions } from "./users";

const { sql, join } = Prisma;

type Selection = Pick<ListQuery, "attributes" | "excludedAttributes">;
const ALL: Selection = { attributes: [], excludedAttributes: [] };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const wantsMembers = (selection: Selection) => wantsAttribute(selection, "members", SCHEMA.group);

/** Members (users and nested groups) of the given groups, in one query per kind. */
async function membersOfGroups(client: DbTx, tenantId: string, groupIds: string[]): Promise<Map<string, GroupMemberRef[]>> {
  const map = new Map<string, GroupMemberRef[]>(groupIds.map((id) => [id, []]));
  if (groupIds.length === 0) return map;
  const [users, groups] = await Promise.all([
    client.$queryRaw<{ groupId: string; id: string; display: string | null }[]>(sql`
      SELECT m."groupId", u.id, COALESCE(u."displayName", u."userName") AS display FROM "GroupMember" m JOIN "DirectoryUser" u ON u.id = m."userId"
      WHERE u."tenantId" = ${tenantId}::uuid AND m."groupId" = ANY(${groupIds}::uuid[]) ORDER BY m."groupId", m."createdAt", u.id`),
    client.$queryRaw<{ groupId: string; id: string; display: string }[]>(sql`
      SELECT n."parentId" AS "groupId", g.id, g."displayName" AS display FROM "GroupNesting" n JOIN "DirectoryGroup" g ON g.id = n."childId"
      WHERE g."tenantId" = ${tenantId}::uuid AND n."parentId" = ANY(${groupIds}::uuid[]) ORDER BY n."parentId", g."displayNameKey"`),
  ]);
  for (const row of users) map.get(row.groupId)?.push({ id: row.id, display: row.display, type: "User" });
  for (const row of groups) map.get(row.groupId)?.push({ id: row.id, display: row.display, type: "Group" });
  return map;
}

/**
 * SCIM member ids name users or groups; the directory keeps them apart. One indexed lookup per
 * call, sized by the ids given. Unknown ids are returned as user ids so that the directory
 * refuses them by name (adds) or ignores them (removes).
 */
async function classifyMembers(client: DbTx, tenantId: string, ids: readonly string[]): Promise<{ userIds: string[]; groupIds: string[] }> {
  const uuids = [...new Set(ids.filter((id) => UUID.test(id)).map((id) => id.toLowerCase()))];
  const groups = uuids.length
    ? // One primary-key lookup per id (see usersById in directory/group-members.ts for why not `id = ANY`).
      await client.$queryRaw<{ id: string }[]>(sql`SELECT g.id FROM unnest(${uuids}::uuid[]) AS x(id)
        CROSS JOIN LATERAL (SELECT d.id FROM "DirectoryGroup" d WHERE d.id = x.id AND d."tenantId" = ${tenantId}::uuid OFFSET 0) g`)
    : [];
  const groupIds = new Set(groups.map((g) => g.id));
  return { userIds: ids.filter((id) => !groupIds.has(id.toLowerCase())), groupIds: [...groupIds] };
}

async function render(ctx: ScimContext, group: DirectoryGroup, selection: Selection, client: DbTx = db()) {
  const members = wantsMembers(selection) ? (await membersOfGroups(client, ctx.tenantId, [group.id])).get(group.id) : undefined;
  return project(toScimGroup(group, ctx.baseUrl, members), selection, GROUP_RESOURCE);
}

export function groupWhere(tenantId: string, query: Pick<ListQuery, "filter">): Prisma.Sql {
  const parts = [sql`g."tenantId" = ${tenantId}::uuid`];
  if (query.filter) parts.push(toPrismaSql(filterToSql(query.filter, GROUP_SQL_MAPPING)));
  return join(parts, " AND ");
}

export async function queryGroups(ctx: ScimContext, query: ListQuery, offset: number, limit: number): Promise<{ total: number; resources: unknown[] }> {
  const where = groupWhere(ctx.tenantId, query);
  const order = query.sortBy ? sql`${toPrismaSql(sortToSql(query.sortBy, query.sortOrder, GROUP_SQL_MAPPING))}, g.id` : sql`g."createdAt", g.id`;
  const client = db();
  // Page and total side by side; see queryUsers for why the total is not a window count.
  const [total, rows] = await Promise.all([
    client.$queryRaw<{ total: number }[]>(sql`SELECT count(*)::int AS total FROM "DirectoryGroup" g WHERE ${where}`).then((r) => r[0]?.total ?? 0),
    limit === 0
      ? Promise.resolve([] as DirectoryGroup[])
      : client.$queryRaw<DirectoryGroup[]>(sql`SELECT g.* FROM "DirectoryGroup" g WHERE ${where} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`),
  ]);
  if (rows.length === 0) return { total, resources: [] };
  const related = wantsMembers(query) ? await membersOfGroups(client, ctx.tenantId, rows.map((row) => row.id)) : undefined;
  const resources = rows.map((row) => project(toScimGroup(row, ctx.baseUrl, related?.get(row.id)), query, GROUP_RESOURCE));
  return { total, resources };
}

export async function listScimGroups(ctx: ScimContext, query: ListQuery): Promise<ScimResult> {
  const { total, resources } = await queryGroups(ctx, query, query.startIndex - 1, query.count);
  return { status: 200, body: listResponse(resources, { totalResults: total, startIndex: query.startIndex }), event: { operation: query.filter ? "lookup" : "list", resourceType: "Group", resourceName: query.filterText } };
}

function single(status: number, resource: unknown, group: DirectoryGroup, operation: ProvisioningOperation, extraHeaders: Record<string, string> = {}): ScimResult {
  return {
    status,
    ...(resource === undefined ? {} : { body: resource }),
    headers: { ETag: etagFromVersion(group.version), ...extraHeaders },
    event: { operation, resourceType: "Group", resourceId: group.id, resourceName: group.displayName },
  };
}

export async function getScimGroup(ctx: ScimContext, id: string, selection: Selection, pre: Preconditions): Promise<ScimResult> {
  const group = await findGroup({ tenantId: ctx.tenantId, groupId: id });
  if (!group) throw ScimError.notFound("Group", id);
  if (pre.ifNoneMatch && checkPreconditions({ ifNoneMatch: pre.ifNoneMatch }, group.version, "GET") === "notModified") {
    return { status: 304, headers: { ETag: etagFromVersion(group.version) }, event: { operation: "lookup", resourceType: "Group", resourceId: group.id, resourceName: group.displayName } };
  }
  return single(200, await render(ctx, group, selection), group, "lookup");
}

/** POST /Groups: members in the body are applied (ignoring them is a bug other servers shipped). */
export async function createScimGroup(ctx: ScimContext, body: unknown, selection: Selection = ALL): Promise<ScimResult> {
  const input = normalizeGroup(body);
  const fields = { displayName: input.displayName, externalId: input.externalId ?? null };
  try {
    // Okta and Entra create groups empty and push members by PATCH: then createGroup is one
    // statement and the response's (empty) member list needs no query.
    const group =
      input.memberIds.length === 0
        ? await createGroup({ tenantId: ctx.tenantId, source: "SCIM", fields })
        : await db().$transaction(async (tx) => {
            const members = await classifyMembers(tx, ctx.tenantId, input.memberIds);
            return createGroup({ tenantId: ctx.tenantId, tx, source: "SCIM", fields, members });
          });
    const resource = input.memberIds.length === 0 ? project(toScimGroup(group, ctx.baseUrl, []), selection, GROUP_RESOURCE) : await render(ctx, group, selection);
    return single(201, resource, group, "group created", { Location: `${ctx.baseUrl}/Groups/${group.id}` });
  } catch (error) {
    throw toScimError(error);
  }
}

type GroupChange = { before: DirectoryGroup; after: DirectoryGroup; added: number; removed: number };

type Applied = { added: number; removed: number; group?: DirectoryGroup };

async function changeGroup(ctx: ScimContext, id: string, pre: Preconditions, apply: (tx: DbTx, current: DirectoryGroup) => Promise<Applied>): Promise<GroupChange> {
  try {
    return await retryOnConflict(() =>
      db().$transaction(async (tx) => {
        const current = await findGroup({ tenantId: ctx.tenantId, tx, groupId: id });
        if (!current) throw ScimError.notFound("Group", id);
        assertIfMatch(pre.ifMatch, current.version);
        const { group, ...counts } = await apply(tx, current);
        // The writes return the group as they left it; no write, no change: no read after.
        return { before: current, after: group ?? current, ...counts };
      }),
    );
  } catch (error) {
    throw toScimError(error);
  }
}

function groupOperation(change: GroupChange): ProvisioningOperation {
  if (change.before.displayName !== change.after.displayName) return "group renamed";
  if (change.added > 0 && change.removed > 0) return "group members changed";
  if (change.added > 0) return "group members added";
  if (change.removed > 0) return "group members removed";
  return "group updated";
}

/** PUT /Groups/{id}: name, externalId and the member list are replaced (by delta in SQL). */
export async function replaceScimGroup(ctx: ScimContext, id: string, body: unknown, pre: Preconditions, selection: Selection = ALL): Promise<ScimResult> {
  const input = normalizeGroup(body);
  const change = await changeGroup(ctx, id, pre, async (tx, current) => {
    const updated = await updateGroup({ tenantId: ctx.tenantId, tx, groupId: current.id, source: "SCIM", fields: { displayName: input.displayName, externalId: input.externalId ?? null } });
    const members = await classifyMembers(tx, ctx.tenantId, input.memberIds);
    let group = updated;
    const result = await replaceGroupMembers({ tenantId: ctx.tenantId, tx, groupId: current.id, current: updated, onWritten: (written) => (group = written), source: "SCIM", ...members });
    return { ...result, group };
  });
  return single(200, await render(ctx, change.after, selection), change.after, groupOperation(change));
}

/**
 * PATCH /Groups/{id}: attribute operations on the group without its members, membership
 * operations as SQL deltas, all in one transaction. Answers 204 (what Entra expects) unless the
 * client asked for attributes, then 200 with the group (RFC 7644 §3.5.2).
 */
export async function patchScimGroup(ctx: ScimContext, id: string, body: unknown, pre: Preconditions, selection: Selection | undefined): Promise<ScimResult> {
  const plan = planGroupPatch(body);
  const change = (await addUsersAtOnce(ctx, id, pre, plan)) ?? (await changeGroup(ctx, id, pre, async (tx, current) => {
    let group = current;
    if (plan.operations.length > 0) {
      const patched = applyPatchOperations(toScimGroup(current, ctx.baseUrl), plan.operations, GROUP_RESOURCE);
      const input = normalizeGroup(patched);
      group = await updateGroup({ tenantId: ctx.tenantId, tx, groupId: current.id, source: "SCIM", fields: { displayName: input.displayName, externalId: input.externalId ?? null } });
    }
    let added = 0;
    let removed = 0;
    for (const step of plan.membership) {
      // The group as this transaction last wrote it: the directory skips its own lookup.
      const base = { tenantId: ctx.tenantId, tx, groupId: current.id, current: group, onWritten: (written: DirectoryGroup) => (group = written), source: "SCIM" as const };
      const result =
        step.kind === "add"
          ? await addGroupMembers({ ...base, ...(await classifyMembers(tx, ctx.tenantId, step.ids)) })
          : step.kind === "remove"
            ? await removeGroupMembers({ ...base, ...(await classifyMembers(tx, ctx.tenantId, step.ids)) })
            : step.kind === "removeAll"
              ? await replaceGroupMembers({ ...base, userIds: [], groupIds: [] })
              : await replaceGroupMembers({ ...base, ...(await classifyMembers(tx, ctx.tenantId, step.ids)) });
      added += result.added;
      removed += result.removed;
    }
    return { added, removed, group };
  }));
  if (!selection) return single(204, undefined, change.after, groupOperation(change));
  return single(200, await render(ctx, change.after, selection), change.after, groupOperation(change));
}

/**
 * The PATCH Okta and Entra send to push members, one `add` of users and nothing else, as a single
 * statement (addUsersInOneStatement). Null when the PATCH has another shape, carries If-Match, or
 * names anything but the tenant's users (nested groups, unknown ids): nothing was written, and the
 * general path handles it, errors included.
 */
async function addUsersAtOnce(ctx: ScimContext, id: string, pre: Preconditions, plan: ReturnType<typeof planGroupPatch>): Promise<GroupChange | null> {
  const [step, ...more] = plan.membership;
  if (pre.ifMatch || plan.operations.length > 0 || more.length > 0 || step?.kind !== "add") return null;
  try {
    const result = await retryOnConflict(() => addUsersInOneStatement({ tenantId: ctx.tenantId, groupId: id, userIds: step.ids, source: "SCIM" }));
    return result && { before: result.before, after: result.after, added: result.added, removed: 0 };
  } catch (error) {
    throw toScimError(error);
  }
}

export async function deleteScimGroup(ctx: ScimContext, id: string, pre: Preconditions): Promise<ScimResult> {
  const group = await findGroup({ tenantId: ctx.tenantId, groupId: id });
  if (!group) throw ScimError.notFound("Group", id);
  assertIfMatch(pre.ifMatch, group.version);
  await deleteGroup({ tenantId: ctx.tenantId, groupId: group.id, source: "SCIM" }).catch((error) => {
    throw toScimError(error);
  });
  return { status: 204, event: { operation: "group deleted", resourceType: "Group", resourceId: group.id, resourceName: group.displayName } };
}
