import type { DirectoryGroup } from "@/generated/prisma/client";
import type { ProvisioningOperation } from "@/lib/provisioning-operations";
import {
  addGroupMembers,
  addUsersInOneStatement,
  createGroup,
  deleteGroup,
  filterGroups,
  findGroup,
  inTransaction,
  membersOfGroups,
  removeGroupMembers,
  replaceGroupMembers,
  updateGroup,
  type DirectoryTx,
} from "../directory";
import {
  GROUP_RESOURCE,
  SCHEMA,
  ScimError,
  applyPatchOperations,
  assertIfMatch,
  checkPreconditions,
  etagFromVersion,
  listResponse,
  normalizeGroup,
  planGroupPatch,
  type ListQuery,
} from "../scim";
import { toScimGroup } from "./group-resource";
import { project, wantsAttribute } from "./list-support";
import { retryOnConflict, toScimError, type ScimContext, type ScimResult } from "./scim-result";
import type { Preconditions } from "./users";

type Selection = Pick<ListQuery, "attributes" | "excludedAttributes">;
const ALL: Selection = { attributes: [], excludedAttributes: [] };

const wantsMembers = (selection: Selection) => wantsAttribute(selection, "members", SCHEMA.group);

async function render(ctx: ScimContext, group: DirectoryGroup, selection: Selection) {
  const members = wantsMembers(selection)
    ? (await membersOfGroups({ tenantId: ctx.tenantId, groupIds: [group.id] })).get(group.id)
    : undefined;
  return project(toScimGroup(group, ctx.baseUrl, members), selection, GROUP_RESOURCE);
}

/** A page of groups and the total (RFC 7644 §3.4.2), from the directory. */
export async function queryGroups(
  ctx: ScimContext,
  query: ListQuery,
  offset: number,
  limit: number,
): Promise<{ total: number; resources: unknown[] }> {
  const { total, groups } = await filterGroups({ tenantId: ctx.tenantId, query, offset, limit, withMembers: wantsMembers(query) });
  return { total, resources: groups.map(({ group, members }) => project(toScimGroup(group, ctx.baseUrl, members), query, GROUP_RESOURCE)) };
}

export async function listScimGroups(ctx: ScimContext, query: ListQuery): Promise<ScimResult> {
  const { total, resources } = await queryGroups(ctx, query, query.startIndex - 1, query.count);
  return {
    status: 200,
    body: listResponse(resources, { totalResults: total, startIndex: query.startIndex }),
    event: { operation: query.filter ? "lookup" : "list", resourceType: "Group", resourceName: query.filterText },
  };
}

function single(
  status: number,
  resource: unknown,
  group: DirectoryGroup,
  operation: ProvisioningOperation,
  extraHeaders: Record<string, string> = {},
): ScimResult {
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
    return {
      status: 304,
      headers: { ETag: etagFromVersion(group.version) },
      event: { operation: "lookup", resourceType: "Group", resourceId: group.id, resourceName: group.displayName },
    };
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
    const group = await createGroup({ tenantId: ctx.tenantId, source: "SCIM", fields, members: { memberIds: input.memberIds } });
    const resource =
      input.memberIds.length === 0
        ? project(toScimGroup(group, ctx.baseUrl, []), selection, GROUP_RESOURCE)
        : await render(ctx, group, selection);
    return single(201, resource, group, "group created", { Location: `${ctx.baseUrl}/Groups/${group.id}` });
  } catch (error) {
    throw toScimError(error);
  }
}

type GroupChange = { before: DirectoryGroup; after: DirectoryGroup; added: number; removed: number };

type Applied = { added: number; removed: number; group?: DirectoryGroup };

async function changeGroup(
  ctx: ScimContext,
  id: string,
  pre: Preconditions,
  apply: (tx: DirectoryTx, current: DirectoryGroup) => Promise<Applied>,
): Promise<GroupChange> {
  try {
    return await retryOnConflict(() =>
      inTransaction(undefined, async (tx) => {
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
export async function replaceScimGroup(
  ctx: ScimContext,
  id: string,
  body: unknown,
  pre: Preconditions,
  selection: Selection = ALL,
): Promise<ScimResult> {
  const input = normalizeGroup(body);
  const change = await changeGroup(ctx, id, pre, async (tx, current) => {
    const updated = await updateGroup({
      tenantId: ctx.tenantId,
      tx,
      groupId: current.id,
      source: "SCIM",
      fields: { displayName: input.displayName, externalId: input.externalId ?? null },
    });
    let group = updated;
    const result = await replaceGroupMembers({
      tenantId: ctx.tenantId,
      tx,
      groupId: current.id,
      current: updated,
      onWritten: (written) => (group = written),
      source: "SCIM",
      memberIds: input.memberIds,
    });
    return { ...result, group };
  });
  return single(200, await render(ctx, change.after, selection), change.after, groupOperation(change));
}

/**
 * PATCH /Groups/{id}: attribute operations on the group without its members, membership
 * operations as SQL deltas, all in one transaction. Answers 204 (what Entra expects) unless the
 * client asked for attributes, then 200 with the group (RFC 7644 §3.5.2).
 */
export async function patchScimGroup(
  ctx: ScimContext,
  id: string,
  body: unknown,
  pre: Preconditions,
  selection: Selection | undefined,
): Promise<ScimResult> {
  const plan = planGroupPatch(body);
  const change =
    (await addUsersAtOnce(ctx, id, pre, plan)) ??
    (await changeGroup(ctx, id, pre, async (tx, current) => {
      let group = current;
      if (plan.operations.length > 0) {
        const patched = applyPatchOperations(toScimGroup(current, ctx.baseUrl), plan.operations, GROUP_RESOURCE);
        const input = normalizeGroup(patched);
        group = await updateGroup({
          tenantId: ctx.tenantId,
          tx,
          groupId: current.id,
          source: "SCIM",
          fields: { displayName: input.displayName, externalId: input.externalId ?? null },
        });
      }
      let added = 0;
      let removed = 0;
      for (const step of plan.membership) {
        // The group as this transaction last wrote it: the directory skips its own lookup.
        const base = {
          tenantId: ctx.tenantId,
          tx,
          groupId: current.id,
          current: group,
          onWritten: (written: DirectoryGroup) => (group = written),
          source: "SCIM" as const,
        };
        const result =
          step.kind === "add"
            ? await addGroupMembers({ ...base, memberIds: step.ids })
            : step.kind === "remove"
              ? await removeGroupMembers({ ...base, memberIds: step.ids })
              : step.kind === "removeAll"
                ? await replaceGroupMembers({ ...base, userIds: [], groupIds: [] })
                : await replaceGroupMembers({ ...base, memberIds: step.ids });
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
async function addUsersAtOnce(
  ctx: ScimContext,
  id: string,
  pre: Preconditions,
  plan: ReturnType<typeof planGroupPatch>,
): Promise<GroupChange | null> {
  const [step, ...more] = plan.membership;
  if (pre.ifMatch || plan.operations.length > 0 || more.length > 0 || step?.kind !== "add") return null;
  try {
    const result = await retryOnConflict(() =>
      addUsersInOneStatement({ tenantId: ctx.tenantId, groupId: id, userIds: step.ids, source: "SCIM" }),
    );
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
  return {
    status: 204,
    event: { operation: "group deleted", resourceType: "Group", resourceId: group.id, resourceName: group.displayName },
  };
}
