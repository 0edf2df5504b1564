import type { DirectoryUser } from "@/generated/prisma/client";
import type { ProvisioningOperation } from "@/lib/provisioning-operations";
import {
  createUser,
  deleteUser,
  filterUsers,
  findUser,
  findUserWithGroups,
  updateUser,
  writeUserActive,
  type UserFields,
  type UserGroupRef,
  type UserWithGroups,
} from "../directory";
import {
  ScimError,
  activeOnlyPatch,
  applyPatchOperations,
  assertIfMatch,
  checkPreconditions,
  etagFromVersion,
  listResponse,
  normalizeUser,
  parsePatchRequest,
  type ListQuery,
} from "../scim";
import { project, wantsAttribute } from "./list-support";
import { retryOnConflict, toScimError, type ScimContext, type ScimResult } from "./scim-result";
import { fieldsFromScimUser, toScimUser } from "./user-resource";

type Selection = Pick<ListQuery, "attributes" | "excludedAttributes">;
const ALL: Selection = { attributes: [], excludedAttributes: [] };

export type Preconditions = { ifMatch?: string | null; ifNoneMatch?: string | null };

/** A user (and its groups, when read) as the SCIM resource the selection asks for. */
function resource(ctx: ScimContext, { user, groups }: UserWithGroups<DirectoryUser>, selection: Selection) {
  return project(toScimUser(user, ctx.baseUrl, groups), selection, ctx.userResource);
}

function single(
  status: number,
  resource: unknown,
  user: DirectoryUser,
  operation: ProvisioningOperation,
  extraHeaders: Record<string, string> = {},
): ScimResult {
  return {
    status,
    body: resource,
    headers: { ETag: etagFromVersion(user.version), ...extraHeaders },
    event: { operation, resourceType: "User", resourceId: user.id, resourceName: user.userName },
  };
}

/** A page of users and the total (RFC 7644 §3.4.2), from the directory. */
export async function queryUsers(
  ctx: ScimContext,
  query: ListQuery,
  offset: number,
  limit: number,
): Promise<{ total: number; resources: unknown[] }> {
  const { total, users } = await filterUsers({
    tenantId: ctx.tenantId,
    query,
    offset,
    limit,
    withGroups: wantsAttribute(query, "groups"),
    userResource: ctx.userResource,
  });
  return { total, resources: users.map((user) => resource(ctx, user, query)) };
}

export async function listScimUsers(ctx: ScimContext, query: ListQuery): Promise<ScimResult> {
  const { total, resources } = await queryUsers(ctx, query, query.startIndex - 1, query.count);
  return {
    status: 200,
    body: listResponse(resources, { totalResults: total, startIndex: query.startIndex }),
    event: { operation: query.filter ? "lookup" : "list", resourceType: "User", resourceName: query.filterText },
  };
}

export async function getScimUser(ctx: ScimContext, id: string, selection: Selection, pre: Preconditions): Promise<ScimResult> {
  const read = await findUserWithGroups({ tenantId: ctx.tenantId, userId: id, withGroups: wantsAttribute(selection, "groups") });
  if (!read) throw ScimError.notFound("User", id);
  const { user } = read;
  if (pre.ifNoneMatch && checkPreconditions({ ifNoneMatch: pre.ifNoneMatch }, user.version, "GET") === "notModified") {
    return {
      status: 304,
      headers: { ETag: etagFromVersion(user.version) },
      event: { operation: "lookup", resourceType: "User", resourceId: user.id, resourceName: user.userName },
    };
  }
  return single(200, resource(ctx, read, selection), user, "lookup");
}

export async function createScimUser(ctx: ScimContext, body: unknown, selection: Selection = ALL): Promise<ScimResult> {
  const fields = fieldsFromScimUser(normalizeUser(body, ctx.userResource));
  const user = await createUser({ tenantId: ctx.tenantId, source: "SCIM", fields }).catch((error) => {
    throw toScimError(error);
  });
  return single(201, resource(ctx, { user, groups: [] }, selection), user, "user created", { Location: `${ctx.baseUrl}/Users/${user.id}` });
}

function updateOperation(before: DirectoryUser, after: DirectoryUser): ProvisioningOperation {
  if (before.active && !after.active) return "user deactivated";
  if (!before.active && after.active) return "user reactivated";
  return "user updated";
}

type UserChange = { before: DirectoryUser; after: DirectoryUser; groups: UserGroupRef[] | undefined };

/**
 * Loads the user (and its groups when the response shows them: a user write never changes them),
 * checks If-Match, computes the new fields and has the directory write them with the row's change
 * record in one version-guarded statement: two round trips. Lost races are retried from a fresh read.
 */
async function changeUser(
  ctx: ScimContext,
  id: string,
  pre: Preconditions,
  withGroups: boolean,
  compute: (current: DirectoryUser) => UserFields,
): Promise<UserChange> {
  try {
    return await retryOnConflict(async () => {
      const read = await findUserWithGroups({ tenantId: ctx.tenantId, userId: id, withGroups });
      if (!read) throw ScimError.notFound("User", id);
      const { user: current, groups } = read;
      assertIfMatch(pre.ifMatch, current.version);
      // All operations were applied to one copy in memory; one guarded statement writes the result.
      const after = await updateUser({ tenantId: ctx.tenantId, userId: current.id, source: "SCIM", current, fields: compute(current) });
      return { before: current, after, groups };
    });
  } catch (error) {
    throw toScimError(error);
  }
}

/** The response of a write: the user as written, with the groups read before it. */
async function renderAfterWrite(ctx: ScimContext, selection: Selection, write: Promise<UserChange>): Promise<ScimResult> {
  const { before, after, groups } = await write;
  return single(200, resource(ctx, { user: after, groups }, selection), after, updateOperation(before, after));
}

/** PUT (RFC 7644 §3.5.1): the body replaces the user; read-only attributes it echoes are ignored. */
export async function replaceScimUser(
  ctx: ScimContext,
  id: string,
  body: unknown,
  pre: Preconditions,
  selection: Selection = ALL,
): Promise<ScimResult> {
  const input = normalizeUser(body, ctx.userResource);
  return renderAfterWrite(
    ctx,
    selection,
    changeUser(ctx, id, pre, wantsAttribute(selection, "groups"), () => fieldsFromScimUser(input)),
  );
}

/** PATCH (RFC 7644 §3.5.2): all operations apply to one copy, validated whole, written once: atomic. */
export async function patchScimUser(
  ctx: ScimContext,
  id: string,
  body: unknown,
  pre: Preconditions,
  selection: Selection = ALL,
): Promise<ScimResult> {
  const operations = parsePatchRequest(body);
  // A deactivate or reactivate needs no read first (an If-Match needs the version read to answer 412).
  const active = pre.ifMatch ? undefined : activeOnlyPatch(operations);
  if (active !== undefined) return setActive(ctx, id, active, selection);
  const write = changeUser(ctx, id, pre, wantsAttribute(selection, "groups"), (current) => {
    const patched = applyPatchOperations(toScimUser(current, ctx.baseUrl), operations, ctx.userResource);
    return fieldsFromScimUser(normalizeUser(patched, ctx.userResource));
  });
  return renderAfterWrite(ctx, selection, write);
}

/** A PATCH that only sets `active`: one statement, no read first (directory/set-user-active.ts). */
async function setActive(ctx: ScimContext, id: string, active: boolean, selection: Selection): Promise<ScimResult> {
  const written = await writeUserActive({
    tenantId: ctx.tenantId,
    userId: id,
    active,
    source: "SCIM",
    withGroups: wantsAttribute(selection, "groups"),
  }).catch((error) => {
    throw toScimError(error);
  });
  if (!written) throw ScimError.notFound("User", id);
  const operation = !written.changed ? "user updated" : active ? "user reactivated" : "user deactivated";
  return single(200, resource(ctx, written, selection), written.user, operation);
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
