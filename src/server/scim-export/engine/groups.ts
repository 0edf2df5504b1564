/**
 * The groups stage (create / rename / adopt) and the memberships stage: member changes are sent
 * as deltas, at most 100 members per PATCH, and a member is removed ONLY with the filtered path
 * `members[value eq "id"]` — the value form (`path: "members", value: [...]`) has wiped whole
 * groups on Databricks (RFC 7644 §3.5.2.2 allows both; only the filtered one is safe).
 */
import { Prisma } from "@/generated/prisma/client";
import { db } from "../../db";
import type { ScimResource } from "../client/scim-client";
import { renderMapping, type FlatPayload } from "../mapping/render";
import { groupInput, groupSourceSelect, type SourceGroup } from "../mapping/source-values";
import { buildResource, diffPayload, patchOperations, PATCH_SCHEMA } from "../scim-resource";
import type { SyncContext } from "./context";
import { pool } from "./pool";
import type { Recorder } from "./recorder";
import { flattenRemote, send } from "./remote";
import { hashPayload } from "./users";

const { sql } = Prisma;
export const MEMBERS_PER_PATCH = 100;

export async function syncGroups(ctx: SyncContext, rec: Recorder, scopeGroupIds: string[]): Promise<void> {
  const [groups, links] = await Promise.all([
    db().directoryGroup.findMany({ where: { tenantId: ctx.tenantId, id: { in: scopeGroupIds } }, select: groupSourceSelect }),
    db().exportLink.findMany({ where: { profileId: ctx.profileId, objectType: "GROUP", localId: { in: scopeGroupIds } }, select: { localId: true, remoteId: true, remoteName: true, hash: true, payload: true } }),
  ]);
  const linkOf = new Map(links.map((l) => [l.localId, l]));
  await pool(groups, ctx.concurrency, async (group) => {
    await processGroup(ctx, rec, group as SourceGroup, linkOf.get(group.id) ?? null);
    rec.progress();
  });
}

export async function processGroup(ctx: SyncContext, rec: Recorder, group: SourceGroup, link: { remoteId: string; remoteName: string; hash: string; payload: unknown } | null): Promise<string | null> {
  const { always, createOnly } = renderMapping(ctx.groupRows, groupInput(group));
  rec.mapped.groups++;
  const displayName = (always.displayName as string | null) ?? group.displayName;
  const hash = hashPayload(always);
  if (link && link.hash === hash) return link.remoteId;
  if (link) return updateGroup(ctx, rec, group.id, link.remoteId, link.payload as FlatPayload, always, hash, displayName);
  const existing = await findGroup(ctx, displayName);
  if (existing) {
    return updateGroup(ctx, rec, group.id, String(existing.id), flattenRemote(existing, Object.keys(always)), always, hash, displayName, true);
  }
  const body = buildResource("group", { ...createOnly, ...always });
  const created = await send(ctx, "POST", "/Groups", body, `the group ${displayName}`);
  if (created.ok) {
    rec.writes++;
    const remoteId = String((created.response.body as ScimResource).id);
    await rec.link({ objectType: "GROUP", localId: group.id, remoteId, remoteName: displayName, hash, payload: always, active: true });
    await rec.op({ objectType: "GROUP", localId: group.id, remoteId, name: displayName, action: "created", result: "SUCCESS", httpStatus: created.response.status, request: body });
    return remoteId;
  }
  if (created.status === 409) {
    const found = await findGroup(ctx, displayName);
    if (found) return updateGroup(ctx, rec, group.id, String(found.id), flattenRemote(found, Object.keys(always)), always, hash, displayName, true);
  }
  await rec.op({ objectType: "GROUP", localId: group.id, remoteId: null, name: displayName, action: "created", result: "ERROR", httpStatus: created.status, reason: created.reason, request: body, response: created.response?.body });
  return null;
}

async function findGroup(ctx: SyncContext, displayName: string): Promise<ScimResource | null> {
  const outcome = await send(ctx, "GET", `/Groups?filter=${encodeURIComponent(`displayName eq ${JSON.stringify(displayName)}`)}&startIndex=1&count=2`, undefined, `the lookup of group ${displayName}`);
  if (!outcome.ok) return null;
  const list = (outcome.response.body as { Resources?: ScimResource[] })?.Resources ?? [];
  return list.find((r) => typeof r.displayName === "string" && r.displayName.toLowerCase() === displayName.toLowerCase()) ?? null;
}

async function updateGroup(ctx: SyncContext, rec: Recorder, localId: string, remoteId: string, previous: FlatPayload, desired: FlatPayload, hash: string, displayName: string, matched = false): Promise<string | null> {
  const changes = diffPayload(previous, desired);
  if (changes.length === 0) {
    await rec.link({ objectType: "GROUP", localId, remoteId, remoteName: displayName, hash, payload: desired, active: true });
    if (matched) await rec.op({ objectType: "GROUP", localId, remoteId, name: displayName, action: "matched", result: "SUCCESS", reason: "A group with this name already exists on the target: linked to it." });
    return remoteId;
  }
  const body = { schemas: [PATCH_SCHEMA], Operations: patchOperations(changes) };
  const outcome = await send(ctx, "PATCH", `/Groups/${encodeURIComponent(remoteId)}`, body, `the group ${displayName}`);
  const renamed = changes.some((c) => c.attribute === "displayName");
  const action = matched ? "matched" : renamed ? "renamed" : "updated";
  if (outcome.ok) {
    rec.writes++;
    await rec.link({ objectType: "GROUP", localId, remoteId, remoteName: displayName, hash, payload: desired, active: true });
    await rec.op({ objectType: "GROUP", localId, remoteId, name: displayName, action, result: "SUCCESS", changes, httpStatus: outcome.response.status, request: body });
    return remoteId;
  }
  if (outcome.status === 404) await rec.unlink("GROUP", localId);
  await rec.op({ objectType: "GROUP", localId, remoteId, name: displayName, action, result: "ERROR", changes, httpStatus: outcome.status, reason: outcome.reason, request: body, response: outcome.response?.body });
  return null;
}

/** Which members to add and remove for one group: desired (linked, active, in-scope members) vs pushed. */
async function memberDelta(ctx: SyncContext, groupId: string, only?: string | string[]) {
  const onlyIds = only === undefined ? null : Array.isArray(only) ? only : [only];
  const userFilter = onlyIds ? sql`AND gm."userId" = ANY(${onlyIds}::uuid[])` : sql``;
  const toAdd = await db().$queryRaw<{ userId: string; remoteId: string; name: string }[]>(sql`
    SELECT gm."userId"::text AS "userId", l."remoteId", l."remoteName" AS name
    FROM "GroupMember" gm
    JOIN "ExportLink" l ON l."profileId" = ${ctx.profileId}::uuid AND l."objectType" = 'USER' AND l."localId" = gm."userId" AND l.active
    WHERE gm."groupId" = ${groupId}::uuid ${userFilter}
      AND NOT EXISTS (SELECT 1 FROM "ExportMemberLink" m WHERE m."profileId" = ${ctx.profileId}::uuid AND m."groupLocalId" = gm."groupId" AND m."userLocalId" = gm."userId")
    ORDER BY 1`);
  const memberFilter = onlyIds ? sql`AND m."userLocalId" = ANY(${onlyIds}::uuid[])` : sql``;
  const toRemove = await db().$queryRaw<{ userId: string; remoteId: string | null; name: string | null }[]>(sql`
    SELECT m."userLocalId"::text AS "userId", l."remoteId", l."remoteName" AS name
    FROM "ExportMemberLink" m
    LEFT JOIN "ExportLink" l ON l."profileId" = m."profileId" AND l."objectType" = 'USER' AND l."localId" = m."userLocalId"
    WHERE m."profileId" = ${ctx.profileId}::uuid AND m."groupLocalId" = ${groupId}::uuid ${memberFilter}
      AND (l."localId" IS NULL OR NOT l.active OR NOT EXISTS (SELECT 1 FROM "GroupMember" gm WHERE gm."groupId" = m."groupLocalId" AND gm."userId" = m."userLocalId"))
    ORDER BY 1`);
  return { toAdd, toRemove };
}

export async function syncMembershipsOfGroup(ctx: SyncContext, rec: Recorder, groupId: string, onlyUserId?: string | string[]): Promise<void> {
  const link = await db().exportLink.findUnique({ where: { profileId_objectType_localId: { profileId: ctx.profileId, objectType: "GROUP", localId: groupId } }, select: { remoteId: true, remoteName: true } });
  if (!link) return;
  const { toAdd, toRemove } = await memberDelta(ctx, groupId, onlyUserId);
  const path = `/Groups/${encodeURIComponent(link.remoteId)}`;
  for (let i = 0; i < toAdd.length; i += MEMBERS_PER_PATCH) {
    const batch = toAdd.slice(i, i + MEMBERS_PER_PATCH);
    const body = { schemas: [PATCH_SCHEMA], Operations: [{ op: "add", path: "members", value: batch.map((m) => ({ value: m.remoteId })) }] };
    const outcome = await send(ctx, "PATCH", path, body, `the members of ${link.remoteName}`);
    const names = batch.map((m) => m.name);
    if (outcome.ok) {
      rec.writes++;
      await db().exportMemberLink.createMany({ data: batch.map((m) => ({ profileId: ctx.profileId, groupLocalId: groupId, userLocalId: m.userId })), skipDuplicates: true });
      await rec.op({ objectType: "GROUP", localId: groupId, remoteId: link.remoteId, name: link.remoteName, action: "members_added", result: "SUCCESS", changes: [{ attribute: "members", old: null, new: names }], httpStatus: outcome.response.status, reason: `${batch.length} member${batch.length === 1 ? "" : "s"} added.` });
    } else {
      if (outcome.status === 404) await rec.unlink("GROUP", groupId);
      await rec.op({ objectType: "GROUP", localId: groupId, remoteId: link.remoteId, name: link.remoteName, action: "members_added", result: "ERROR", changes: [{ attribute: "members", old: null, new: names }], httpStatus: outcome.status, reason: outcome.reason, request: body, response: outcome.response?.body });
      if (outcome.status === 404) return;
    }
  }
  // Members whose user was never linked or is gone on the target need no remote call.
  const remote = toRemove.filter((m) => m.remoteId);
  const localOnly = toRemove.filter((m) => !m.remoteId).map((m) => m.userId);
  if (localOnly.length) await db().exportMemberLink.deleteMany({ where: { profileId: ctx.profileId, groupLocalId: groupId, userLocalId: { in: localOnly } } });
  for (let i = 0; i < remote.length; i += MEMBERS_PER_PATCH) {
    const batch = remote.slice(i, i + MEMBERS_PER_PATCH);
    const body = { schemas: [PATCH_SCHEMA], Operations: batch.map((m) => ({ op: "remove", path: `members[value eq ${JSON.stringify(m.remoteId)}]` })) };
    const outcome = await send(ctx, "PATCH", path, body, `the members of ${link.remoteName}`);
    const names = batch.map((m) => m.name);
    if (outcome.ok) {
      rec.writes++;
      await db().exportMemberLink.deleteMany({ where: { profileId: ctx.profileId, groupLocalId: groupId, userLocalId: { in: batch.map((m) => m.userId) } } });
      await rec.op({ objectType: "GROUP", localId: groupId, remoteId: link.remoteId, name: link.remoteName, action: "members_removed", result: "SUCCESS", changes: [{ attribute: "members", old: names, new: null }], httpStatus: outcome.response.status, reason: `${batch.length} member${batch.length === 1 ? "" : "s"} removed.` });
    } else {
      await rec.op({ objectType: "GROUP", localId: groupId, remoteId: link.remoteId, name: link.remoteName, action: "members_removed", result: "ERROR", changes: [{ attribute: "members", old: names, new: null }], httpStatus: outcome.status, reason: outcome.reason, request: body, response: outcome.response?.body });
    }
  }
}

/**
 * Incremental runs: the memberships of the listed users only, in the listed groups. One set-based
 * query finds the groups where one of them must be added or removed; only those get a delta.
 */
export async function syncMembershipsOfUsers(ctx: SyncContext, rec: Recorder, groupIds: string[], userIds: string[]): Promise<void> {
  if (groupIds.length === 0 || userIds.length === 0) return;
  const rows = await db().$queryRaw<{ id: string }[]>(sql`
    SELECT gm."groupId"::text AS id FROM "GroupMember" gm
    JOIN "ExportLink" l ON l."profileId" = ${ctx.profileId}::uuid AND l."objectType" = 'USER' AND l."localId" = gm."userId" AND l.active
    WHERE gm."userId" = ANY(${userIds}::uuid[]) AND gm."groupId" = ANY(${groupIds}::uuid[])
      AND NOT EXISTS (SELECT 1 FROM "ExportMemberLink" m WHERE m."profileId" = ${ctx.profileId}::uuid AND m."groupLocalId" = gm."groupId" AND m."userLocalId" = gm."userId")
    UNION
    SELECT m."groupLocalId"::text FROM "ExportMemberLink" m
    LEFT JOIN "ExportLink" l ON l."profileId" = m."profileId" AND l."objectType" = 'USER' AND l."localId" = m."userLocalId"
    WHERE m."profileId" = ${ctx.profileId}::uuid AND m."userLocalId" = ANY(${userIds}::uuid[]) AND m."groupLocalId" = ANY(${groupIds}::uuid[])
      AND (l."localId" IS NULL OR NOT l.active OR NOT EXISTS (SELECT 1 FROM "GroupMember" gm WHERE gm."groupId" = m."groupLocalId" AND gm."userId" = m."userLocalId"))`);
  await syncMemberships(ctx, rec, rows.map((r) => r.id).sort(), userIds);
}

export async function syncMemberships(ctx: SyncContext, rec: Recorder, groupIds: string[], onlyUserIds?: string[]): Promise<void> {
  await pool(groupIds, ctx.concurrency, (groupId) => syncMembershipsOfGroup(ctx, rec, groupId, onlyUserIds));
}

/** Groups that left the scope: their pushed members are removed; in DELETE mode the group is deleted. */
export async function syncGroupLeavers(ctx: SyncContext, rec: Recorder, scopeGroupIds: string[]): Promise<void> {
  const leaving = await db().exportLink.findMany({
    where: { profileId: ctx.profileId, objectType: "GROUP", localId: { notIn: scopeGroupIds } },
    select: { localId: true, remoteId: true, remoteName: true },
  });
  for (const group of leaving) {
    if (ctx.leaveAction === "DELETE") {
      const outcome = await send(ctx, "DELETE", `/Groups/${encodeURIComponent(group.remoteId)}`, undefined, `the group ${group.remoteName}`);
      if (outcome.ok || outcome.status === 404) {
        if (outcome.ok) rec.writes++;
        await rec.unlink("GROUP", group.localId);
        await rec.op({ objectType: "GROUP", localId: group.localId, remoteId: group.remoteId, name: group.remoteName, action: "deleted", result: "SUCCESS", reason: "The group left the profile's scope." });
      } else {
        await rec.op({ objectType: "GROUP", localId: group.localId, remoteId: group.remoteId, name: group.remoteName, action: "deleted", result: "ERROR", httpStatus: outcome.status, reason: outcome.reason });
      }
      continue;
    }
    const members = await db().$queryRaw<{ userId: string; remoteId: string | null; name: string | null }[]>(sql`
      SELECT m."userLocalId"::text AS "userId", l."remoteId", l."remoteName" AS name FROM "ExportMemberLink" m
      LEFT JOIN "ExportLink" l ON l."profileId" = m."profileId" AND l."objectType" = 'USER' AND l."localId" = m."userLocalId"
      WHERE m."profileId" = ${ctx.profileId}::uuid AND m."groupLocalId" = ${group.localId}::uuid`);
    let failed = false;
    const remote = members.filter((m) => m.remoteId);
    for (let i = 0; i < remote.length; i += MEMBERS_PER_PATCH) {
      const batch = remote.slice(i, i + MEMBERS_PER_PATCH);
      const body = { schemas: [PATCH_SCHEMA], Operations: batch.map((m) => ({ op: "remove", path: `members[value eq ${JSON.stringify(m.remoteId)}]` })) };
      const outcome = await send(ctx, "PATCH", `/Groups/${encodeURIComponent(group.remoteId)}`, body, `the members of ${group.remoteName}`);
      if (outcome.ok) rec.writes++;
      else if (outcome.status !== 404) failed = true;
      await rec.op({ objectType: "GROUP", localId: group.localId, remoteId: group.remoteId, name: group.remoteName, action: "members_removed", result: outcome.ok ? "SUCCESS" : "ERROR", httpStatus: outcome.response?.status ?? null, reason: outcome.ok ? `The group left the profile's scope: ${batch.length} member(s) removed; the group itself is kept.` : outcome.reason });
    }
    if (!failed) await rec.unlink("GROUP", group.localId);
  }
}
