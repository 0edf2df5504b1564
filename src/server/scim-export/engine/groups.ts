/**
 * The groups stage: create, rename or adopt each in-scope group, and groups leaving the scope.
 * A linked group is read by id before anything is written to it (always in a full reconcile and
 * for Provision on Demand, only before a write otherwise): gone, or its id now holding another
 * group (drift.ts's identity rules), it is matched again by name or created again — the other
 * group is left alone; ours, its attributes are compared with what the target holds, so a
 * displayName changed there is set back. The members are the memberships stage's (members.ts).
 */
import { plural } from "@/lib/plural";
import { db } from "../../db";
import type { ScimResource } from "../client/scim-client";
import { renderMapping, type FlatPayload } from "../mapping/render";
import { groupInput, groupSourceSelect, type SourceGroup } from "../mapping/source-values";
import { elementPath, equalityFilter, listQueryString, parseListResponse, patchRequest } from "../../scim";
import { buildResource, diffPayload, patchOperations } from "../scim-resource";
import type { SyncContext } from "./context";
import { isGone, isSameGroup, readBack, recreatedReason, repairReason, sameValue } from "./drift";
import { managedMembers, MEMBERS_PER_PATCH, membersOf } from "./members";
import { pool } from "./pool";
import type { Recorder } from "./recorder";
import { flattenRemote, readRemote, send } from "./remote";
import { hashPayload, type VerifyMode } from "./users";

type GroupLink = { remoteId: string; remoteName: string; hash: string; payload: unknown };
type Wanted = { localId: string; displayName: string; always: FlatPayload; createOnly: FlatPayload; hash: string };

export async function syncGroups(ctx: SyncContext, rec: Recorder, scopeGroupIds: string[], verify: VerifyMode): Promise<void> {
  const [groups, links] = await Promise.all([
    db().directoryGroup.findMany({ where: { tenantId: ctx.tenantId, id: { in: scopeGroupIds } }, select: groupSourceSelect }),
    db().exportLink.findMany({
      where: { profileId: ctx.profileId, objectType: "GROUP", localId: { in: scopeGroupIds } },
      select: { localId: true, remoteId: true, remoteName: true, hash: true, payload: true },
    }),
  ]);
  const linkOf = new Map(links.map((l) => [l.localId, l]));
  await pool(groups, ctx.concurrency, async (group) => {
    await processGroup(ctx, rec, group as SourceGroup, linkOf.get(group.id) ?? null, verify);
    rec.progress();
  });
}

const rememberedGroup = (link: GroupLink) => ({ displayName: link.remoteName, externalId: (link.payload as FlatPayload).externalId });

export async function processGroup(
  ctx: SyncContext,
  rec: Recorder,
  group: SourceGroup,
  link: GroupLink | null,
  verify: VerifyMode,
): Promise<string | null> {
  const { always, createOnly } = renderMapping(ctx.groupRows, groupInput(group));
  rec.mapped.groups++;
  const want: Wanted = {
    localId: group.id,
    displayName: (always.displayName as string | null) ?? group.displayName,
    always,
    createOnly,
    hash: hashPayload(always),
  };
  if (!link) {
    const existing = await findGroup(ctx, want.displayName);
    return existing
      ? updateGroup(ctx, rec, want, String(existing.id), flattenRemote(existing, Object.keys(always)), new Set(), true, null)
      : createGroup(ctx, rec, want, null);
  }
  if (isGone(link.hash)) return recreateGroup(ctx, rec, want, link.remoteId, { state: "missing" });
  if (link.hash === want.hash && verify !== "always") return link.remoteId;
  if (verify === "never") return updateGroup(ctx, rec, want, link.remoteId, link.payload as FlatPayload, new Set(), false, null);
  const { read } = await readRemote(
    ctx,
    "Groups",
    link.remoteId,
    (r) => isSameGroup(r, rememberedGroup(link)),
    `the group ${link.remoteName}`,
  );
  if (read.state === "failed") {
    await rec.op({
      objectType: "GROUP",
      localId: group.id,
      remoteId: link.remoteId,
      name: link.remoteName,
      action: "updated",
      result: "ERROR",
      httpStatus: read.status,
      reason: `Could not read the group on the target before changing it. ${read.reason}`,
      response: read.body,
    });
    return null;
  }
  if (read.state !== "ours") return recreateGroup(ctx, rec, want, link.remoteId, read);
  const { previous, drifted } = readBack(read.resource, link.payload as FlatPayload, Object.keys(always), new Set());
  return updateGroup(ctx, rec, want, link.remoteId, previous, new Set(Object.keys(drifted)), false, null);
}

/**
 * The remembered group is gone, or its id holds another group: never written to. Found again by
 * name (under another id) it is re-linked; otherwise created. Its pushed memberships belonged to
 * the old id: forgotten, so the memberships stage fills the group again.
 */
async function recreateGroup(
  ctx: SyncContext,
  rec: Recorder,
  want: Wanted,
  rememberedId: string,
  read: { state: "missing" } | { state: "other"; holder: string },
): Promise<string | null> {
  await rec.dropMemberLinks("GROUP", want.localId);
  const gone = read.state === "other" ? ({ kind: "other", holder: read.holder } as const) : ({ kind: "missing" } as const);
  const existing = await findGroup(ctx, want.displayName);
  if (existing && String(existing.id) !== rememberedId) {
    const what = gone.kind === "missing" ? "was gone" : `now holds another group (${gone.holder})`;
    return updateGroup(
      ctx,
      rec,
      want,
      String(existing.id),
      flattenRemote(existing, Object.keys(want.always)),
      new Set(),
      true,
      `re-linked: found on the target under id ${existing.id} (the remembered id ${rememberedId} ${what})`,
    );
  }
  return createGroup(ctx, rec, want, recreatedReason("group", rememberedId, gone));
}

async function createGroup(ctx: SyncContext, rec: Recorder, want: Wanted, reason: string | null): Promise<string | null> {
  const { localId, displayName, always, createOnly, hash } = want;
  const body = buildResource("group", { ...createOnly, ...always });
  const created = await send(ctx, "POST", "/Groups", body, `the group ${displayName}`);
  if (created.ok) {
    rec.writes++;
    const remoteId = String((created.response.body as ScimResource).id);
    await rec.link({ objectType: "GROUP", localId, remoteId, remoteName: displayName, hash, payload: always, active: true });
    await rec.op({
      objectType: "GROUP",
      localId,
      remoteId,
      name: displayName,
      action: "created",
      result: "SUCCESS",
      httpStatus: created.response.status,
      request: body,
      reason,
    });
    return remoteId;
  }
  if (created.status === 409) {
    const found = await findGroup(ctx, displayName);
    if (found) return updateGroup(ctx, rec, want, String(found.id), flattenRemote(found, Object.keys(always)), new Set(), true, null);
  }
  await rec.op({
    objectType: "GROUP",
    localId,
    remoteId: null,
    name: displayName,
    action: "created",
    result: "ERROR",
    httpStatus: created.status,
    reason: created.reason,
    request: body,
    response: created.response?.body,
  });
  return null;
}

async function findGroup(ctx: SyncContext, displayName: string): Promise<ScimResource | null> {
  const query = listQueryString({ filter: equalityFilter("displayName", displayName), startIndex: 1, count: 2 });
  const outcome = await send(ctx, "GET", `/Groups?${query}`, undefined, `the lookup of group ${displayName}`);
  if (!outcome.ok) return null;
  const list = parseListResponse<ScimResource>(outcome.response.body).resources;
  return list.find((r) => typeof r.displayName === "string" && r.displayName.toLowerCase() === displayName.toLowerCase()) ?? null;
}

/** Sends what differs between `previous` (pushed, or as read) and the rendered payload; a 404 re-creates the group (once). */
async function updateGroup(
  ctx: SyncContext,
  rec: Recorder,
  want: Wanted,
  remoteId: string,
  previous: FlatPayload,
  drifted: ReadonlySet<string>,
  matched: boolean,
  note: string | null,
): Promise<string | null> {
  const { localId, displayName, always: desired, hash } = want;
  const changes = diffPayload(previous, desired).filter((c) => !sameValue(c.old, c.new));
  if (changes.length === 0) {
    await rec.link({ objectType: "GROUP", localId, remoteId, remoteName: displayName, hash, payload: desired, active: true });
    if (matched)
      await rec.op({
        objectType: "GROUP",
        localId,
        remoteId,
        name: displayName,
        action: "matched",
        result: "SUCCESS",
        reason: note ?? "A group with this name already exists on the target: linked to it.",
      });
    return remoteId;
  }
  const body = patchRequest(patchOperations(changes));
  const outcome = await send(ctx, "PATCH", `/Groups/${encodeURIComponent(remoteId)}`, body, `the group ${displayName}`);
  const renamed = changes.some((c) => c.attribute === "displayName" && !drifted.has(c.attribute));
  const action = matched ? "matched" : renamed ? "renamed" : "updated";
  const reason = [note, repairReason(changes, drifted)].filter(Boolean).join("; ") || null;
  if (outcome.ok) {
    rec.writes++;
    await rec.link({ objectType: "GROUP", localId, remoteId, remoteName: displayName, hash, payload: desired, active: true });
    await rec.op({
      objectType: "GROUP",
      localId,
      remoteId,
      name: displayName,
      action,
      result: "SUCCESS",
      changes,
      httpStatus: outcome.response.status,
      request: body,
      reason,
    });
    return remoteId;
  }
  if (outcome.status === 404 && note === null && !matched) return recreateGroup(ctx, rec, want, remoteId, { state: "missing" });
  await rec.op({
    objectType: "GROUP",
    localId,
    remoteId,
    name: displayName,
    action,
    result: "ERROR",
    changes,
    httpStatus: outcome.status,
    reason: outcome.reason,
    request: body,
    response: outcome.response?.body,
  });
  return null;
}

/**
 * Groups that left the scope: read first (a group gone, or whose id now holds another group, is
 * only forgotten); in DELETE mode the group is deleted, otherwise the members this profile
 * manages are taken out and the group itself is kept.
 */
export async function syncGroupLeavers(ctx: SyncContext, rec: Recorder, scopeGroupIds: string[]): Promise<void> {
  const leaving = await db().exportLink.findMany({
    where: { profileId: ctx.profileId, objectType: "GROUP", localId: { notIn: scopeGroupIds } },
    select: { localId: true, remoteId: true, remoteName: true, hash: true, payload: true },
  });
  for (const group of leaving) {
    const { read } = isGone(group.hash)
      ? { read: { state: "missing" as const } }
      : await readRemote(ctx, "Groups", group.remoteId, (r) => isSameGroup(r, rememberedGroup(group)), `the group ${group.remoteName}`);
    const base = { objectType: "GROUP" as const, localId: group.localId, remoteId: group.remoteId, name: group.remoteName };
    if (read.state === "failed") {
      await rec.op({
        ...base,
        action: ctx.leaveAction === "DELETE" ? "deleted" : "members_removed",
        result: "ERROR",
        httpStatus: read.status,
        reason: `Could not read the group on the target. ${read.reason}`,
      });
      continue;
    }
    if (read.state !== "ours") {
      await rec.unlink("GROUP", group.localId);
      await rec.op({
        ...base,
        action: "skipped",
        result: "SKIPPED",
        reason: "The group left the profile's scope and is no longer on the target (or its id now holds another group): nothing to remove.",
      });
      continue;
    }
    if (ctx.leaveAction === "DELETE") {
      const outcome = await send(
        ctx,
        "DELETE",
        `/Groups/${encodeURIComponent(group.remoteId)}`,
        undefined,
        `the group ${group.remoteName}`,
      );
      if (outcome.ok || outcome.status === 404) {
        if (outcome.ok) rec.writes++;
        await rec.unlink("GROUP", group.localId);
        await rec.op({ ...base, action: "deleted", result: "SUCCESS", reason: "The group left the profile's scope." });
      } else {
        await rec.op({ ...base, action: "deleted", result: "ERROR", httpStatus: outcome.status, reason: outcome.reason });
      }
      continue;
    }
    const members = await managedMembers(ctx, group.localId, membersOf(read.resource));
    let failed = false;
    for (let i = 0; i < members.length; i += MEMBERS_PER_PATCH) {
      const batch = members.slice(i, i + MEMBERS_PER_PATCH);
      const body = patchRequest(batch.map((m) => ({ op: "remove", path: elementPath("members", m.remoteId) })));
      const outcome = await send(ctx, "PATCH", `/Groups/${encodeURIComponent(group.remoteId)}`, body, `the members of ${group.remoteName}`);
      if (outcome.ok) rec.writes++;
      else if (outcome.status !== 404) failed = true;
      const changes = [{ attribute: "members", old: batch.map((m) => m.name), new: null }];
      await rec.op({
        ...base,
        action: "members_removed",
        result: outcome.ok ? "SUCCESS" : "ERROR",
        changes,
        httpStatus: outcome.response?.status ?? null,
        reason: outcome.ok
          ? `The group left the profile's scope: ${plural(batch.length, "member")} removed; the group itself is kept.`
          : outcome.reason,
      });
    }
    if (!failed) await rec.unlink("GROUP", group.localId);
  }
}
