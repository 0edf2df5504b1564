/**
 * The memberships stage: each group's members are READ on the target (GET /Groups/{id}) and put
 * in line with the directory for the users this profile manages — desired members missing there
 * are added (back), managed users who should not be members are removed, whoever put them there.
 * Members the profile does not manage (other users, service principals, nested groups) are left
 * alone. The pushed memberships (ExportMemberLink) are kept equal to what was put in line; the
 * incremental planner reads them.
 *
 * A target that never lists members (BoxyHQ Jackson answers `members: []` for every group) cannot
 * show drift: an empty list for a group we pushed members to is believed only from Databricks,
 * which documents members in its group reads; from other targets the pushed memberships stand for
 * the target's then (the delta against them). So a generic SCIM group emptied by someone else is
 * not refilled; one that keeps a member is put in line.
 *
 * Member changes are deltas, at most 100 members per PATCH, and a member is removed ONLY with the
 * filtered path `members[value eq "id"]` — the value form (`path: "members", value: [...]`) has
 * wiped whole groups on Databricks (RFC 7644 §3.5.2.2 allows both; only the filtered one is safe).
 */
import { Prisma } from "@/generated/prisma/client";
import { plural } from "@/lib/plural";
import { db } from "../../db";
import { sqlRows } from "../../db/sql";
import { writeUnderLease } from "../../jobs/job-store";
import type { ScimResource } from "../client/scim-client";
import type { FlatPayload } from "../mapping/render";
import { userSourceSelect, type SourceUser } from "../mapping/source-values";
import { elementPath, patchRequest, type PatchOpRequest } from "../../scim";
import { targetMembersSql } from "../scope";
import type { SyncContext } from "./context";
import { isGone, isSameGroup, isSameUser, notGoneSql } from "./drift";
import { pool } from "./pool";
import type { Recorder } from "./recorder";
import { readRemote, send } from "./remote";
import { processUser, type UserLink } from "./users";

const { sql } = Prisma;
export const MEMBERS_PER_PATCH = 100;

/** A user as a member: local id, remote id, userName, when its link was last written, its pushed externalId. */
type Member = { userId: string; remoteId: string; name: string; updatedAt: Date; externalId: string | null };

/** The member values of a group as read ("members": [{ "value": id }]). */
export function membersOf(resource: ScimResource): Set<string> {
  return new Set(((resource.members as { value?: unknown }[] | undefined) ?? []).map((m) => String(m.value)));
}

/** Whether the members read are the group's members (see the header). */
const believe = (ctx: SyncContext, remote: ReadonlySet<string>, pushed: number) =>
  ctx.type === "DATABRICKS" || remote.size > 0 || pushed === 0;

const onlyFilter = (column: Prisma.Sql, only: string[] | null) => (only ? sql`AND ${column} = ANY(${only}::uuid[])` : sql``);

/** Users of this profile whose remote id is in `remoteIds` (never a link marked gone: its id may name someone else). */
async function linkedByRemoteId(ctx: SyncContext, remoteIds: string[], only: string[] | null): Promise<Member[]> {
  if (remoteIds.length === 0) return [];
  return sqlRows<Member>(
    sql`
    SELECT l."localId"::text AS "userId", l."remoteId", l."remoteName" AS name, l."updatedAt", l.payload->>'externalId' AS "externalId"
    FROM "ExportLink" l
    WHERE l."profileId" = ${ctx.profileId}::uuid AND l."objectType" = 'USER' AND l."remoteId" = ANY(${remoteIds}::text[]) AND ${notGoneSql}
      ${onlyFilter(sql`l."localId"`, only)}`,
    { kind: "scan" },
  );
}

/** The users whose membership of the group was pushed. */
async function pushedIdsOf(ctx: SyncContext, groupId: string, only: string[] | null): Promise<Set<string>> {
  const rows = await db().exportMemberLink.findMany({
    where: { profileId: ctx.profileId, groupLocalId: groupId, ...(only ? { userLocalId: { in: only } } : {}) },
    select: { userLocalId: true },
  });
  return new Set(rows.map((r) => r.userLocalId));
}

/** Pushed members as the target should hold them (their links' remote ids), for a target whose member list is not believed. */
async function pushedMembers(ctx: SyncContext, userIds: string[]): Promise<Member[]> {
  if (userIds.length === 0) return [];
  return sqlRows<Member>(
    sql`
    SELECT l."localId"::text AS "userId", l."remoteId", l."remoteName" AS name, l."updatedAt", l.payload->>'externalId' AS "externalId"
    FROM "ExportLink" l
    WHERE l."profileId" = ${ctx.profileId}::uuid AND l."objectType" = 'USER' AND l."localId" = ANY(${userIds}::uuid[]) AND ${notGoneSql}`,
    { kind: "scan" },
  );
}

/**
 * The members this profile manages in a group, as the target holds them: from the members read
 * when the target's list can be believed, else from the pushed memberships.
 */
export async function managedMembers(ctx: SyncContext, groupId: string, remote: ReadonlySet<string>): Promise<Member[]> {
  const pushed = await pushedIdsOf(ctx, groupId, null);
  if (believe(ctx, remote, pushed.size)) return linkedByRemoteId(ctx, [...remote], null);
  return pushedMembers(ctx, [...pushed]);
}

export async function syncMembershipsOfGroup(
  ctx: SyncContext,
  rec: Recorder,
  groupId: string,
  onlyUserId?: string | string[],
): Promise<void> {
  const link = await db().exportLink.findUnique({
    where: { profileId_objectType_localId: { profileId: ctx.profileId, objectType: "GROUP", localId: groupId } },
    select: { remoteId: true, remoteName: true, payload: true, hash: true },
  });
  if (!link) return;
  const only = onlyUserId === undefined ? null : Array.isArray(onlyUserId) ? onlyUserId : [onlyUserId];
  const base = { objectType: "GROUP" as const, localId: groupId, remoteId: link.remoteId, name: link.remoteName };
  const remembered = { displayName: link.remoteName, externalId: (link.payload as FlatPayload).externalId };
  const { read } = await readRemote(ctx, "Groups", link.remoteId, (r) => isSameGroup(r, remembered), `the members of ${link.remoteName}`);
  if (read.state === "failed") {
    await rec.op({
      ...base,
      action: "members_added",
      result: "ERROR",
      httpStatus: read.status,
      reason: `Could not read the group's members on the target: its members were not changed. ${read.reason}`,
    });
    return;
  }
  if (read.state !== "ours") {
    await rec.unlink("GROUP", groupId);
    await rec.op({
      ...base,
      action: "members_added",
      result: "ERROR",
      reason:
        "The group is gone from the target (or its id now holds another group) since it was checked: its members were not changed. The next sync creates it again.",
    });
    return;
  }
  const remote = membersOf(read.resource);
  // Flattened, the group lists every user below it (scope.ts); else its direct members.
  const desired = await sqlRows<Member>(
    sql`
    SELECT gm."userId"::text AS "userId", l."remoteId", l."remoteName" AS name, l."updatedAt", l.payload->>'externalId' AS "externalId"
    FROM ${targetMembersSql(ctx.nesting, [groupId])} gm
    JOIN "ExportLink" l ON l."profileId" = ${ctx.profileId}::uuid AND l."objectType" = 'USER' AND l."localId" = gm."userId" AND l.active AND ${notGoneSql}
    WHERE gm."groupId" = ${groupId}::uuid ${onlyFilter(sql`gm."userId"`, only)}
    ORDER BY 1`,
    { kind: "scan" },
  );
  const desiredIds = new Set(desired.map((d) => d.userId));
  const pushedIds = await pushedIdsOf(ctx, groupId, only);
  const pushedInGroup = only
    ? await db().exportMemberLink.count({ where: { profileId: ctx.profileId, groupLocalId: groupId } })
    : pushedIds.size;

  let toAdd: Member[];
  let toRemove: Member[];
  const keep = new Set<string>();
  if (believe(ctx, remote, pushedInGroup)) {
    toAdd = desired.filter((d) => !remote.has(d.remoteId));
    for (const d of desired) if (remote.has(d.remoteId)) keep.add(d.userId);
    toRemove = (await linkedByRemoteId(ctx, [...remote], only)).filter((m) => !desiredIds.has(m.userId));
  } else {
    toAdd = desired.filter((d) => !pushedIds.has(d.userId));
    for (const d of desired) if (pushedIds.has(d.userId)) keep.add(d.userId);
    // Pushed members no longer wanted; one whose link is gone (or marked gone) is only forgotten.
    toRemove = await pushedMembers(
      ctx,
      [...pushedIds].filter((id) => !desiredIds.has(id)),
    );
  }
  toAdd = await confirmed(ctx, rec, toAdd, true);
  toRemove = await confirmed(ctx, rec, toRemove, false);

  const path = `/Groups/${encodeURIComponent(link.remoteId)}`;
  const added = new Set<string>();
  const removed = new Set<string>();
  const members = (n: number) => plural(n, "member");
  // Each PATCH carries up to 100 members, whatever the reason; each reason gets its own operation.
  const sendMembers = async (kind: "add" | "remove", list: Member[], reasonOf: (m: Member) => (n: number) => string) => {
    const sorted = [...list].sort((a, b) => reasonOf(a)(1).localeCompare(reasonOf(b)(1)));
    for (let i = 0; i < sorted.length; i += MEMBERS_PER_PATCH) {
      const batch = sorted.slice(i, i + MEMBERS_PER_PATCH);
      const operations: PatchOpRequest[] =
        kind === "add"
          ? [{ op: "add", path: "members", value: batch.map((m) => ({ value: m.remoteId })) }]
          : batch.map((m) => ({ op: "remove", path: elementPath("members", m.remoteId) }));
      const body = patchRequest(operations);
      const outcome = await send(ctx, "PATCH", path, body, `the members of ${link.remoteName}`);
      if (outcome.ok) rec.writes++;
      const action = kind === "add" ? "members_added" : "members_removed";
      const byReason = new Map<(n: number) => string, Member[]>();
      for (const m of batch) byReason.set(reasonOf(m), [...(byReason.get(reasonOf(m)) ?? []), m]);
      for (const [reason, part] of byReason) {
        const names = part.map((m) => m.name);
        const changes = [{ attribute: "members", old: kind === "add" ? null : names, new: kind === "add" ? names : null }];
        if (outcome.ok) {
          for (const m of part) (kind === "add" ? added : removed).add(m.userId);
          await rec.op({ ...base, action, result: "SUCCESS", changes, httpStatus: outcome.response.status, reason: reason(part.length) });
        } else {
          await rec.op({
            ...base,
            action,
            result: "ERROR",
            changes,
            httpStatus: outcome.status,
            reason: outcome.reason,
            request: body,
            response: outcome.response?.body,
          });
        }
      }
    }
  };
  const added1 = (n: number) => `${members(n)} added.`;
  const readded = (n: number) => `re-added: removed on the target by someone else (${members(n)}).`;
  const removed1 = (n: number) => `${members(n)} removed.`;
  const foreign = (n: number) => `removed: added on the target by someone else (${members(n)}).`;
  await sendMembers("add", toAdd, (m) => (pushedIds.has(m.userId) ? readded : added1));
  await sendMembers("remove", toRemove, (m) => (pushedIds.has(m.userId) ? removed1 : foreign));

  // The pushed memberships now: wanted and there, added, and pushed ones whose removal failed (retried next time).
  const now = new Set([...keep, ...added, ...toRemove.map((m) => m.userId).filter((id) => pushedIds.has(id) && !removed.has(id))]);
  const create = [...now].filter((id) => !pushedIds.has(id));
  const drop = [...pushedIds].filter((id) => !now.has(id));
  // Under the job's fence, as the recorder's links: an execution taken over records no membership.
  if (create.length || drop.length)
    await writeUnderLease(async (tx) => {
      const client = tx ?? db();
      if (create.length)
        await client.exportMemberLink.createMany({
          data: create.map((userLocalId) => ({ profileId: ctx.profileId, groupLocalId: groupId, userLocalId })),
          skipDuplicates: true,
        });
      if (drop.length)
        await client.exportMemberLink.deleteMany({ where: { profileId: ctx.profileId, groupLocalId: groupId, userLocalId: { in: drop } } });
    });
  if (only === null) await syncChildGroups(ctx, rec, groupId, link.remoteId, remote, base);
}
type ChildGroup = { localId: string; remoteId: string; remoteName: string };

/**
 * Groups as members of a group. NESTED: the group's child groups (GroupNesting) that this profile
 * has on the target are its members there (RFC 7643 §4.2 members of type Group). Otherwise no
 * group of this profile belongs in it: one found there (pushed while the profile nested groups,
 * or added by someone else) is taken out. Groups this profile does not manage are left alone.
 * Judged from the members read (a target that lists no members gets the children added again,
 * which an add of present members leaves as it is).
 */
async function syncChildGroups(
  ctx: SyncContext,
  rec: Recorder,
  groupId: string,
  remoteId: string,
  remote: ReadonlySet<string>,
  base: { objectType: "GROUP"; localId: string; remoteId: string; name: string },
): Promise<void> {
  const managed = (
    await db().exportLink.findMany({
      where: { profileId: ctx.profileId, objectType: "GROUP", remoteId: { in: [...remote] }, localId: { not: groupId } },
      select: { localId: true, remoteId: true, remoteName: true, hash: true },
    })
  ).filter((g) => !isGone(g.hash));
  const wanted: ChildGroup[] =
    ctx.nesting === "NESTED"
      ? await sqlRows<ChildGroup>(
          sql`
          SELECT l."localId"::text AS "localId", l."remoteId", l."remoteName"
          FROM "GroupNesting" n
          JOIN "ExportLink" l ON l."profileId" = ${ctx.profileId}::uuid AND l."objectType" = 'GROUP' AND l."localId" = n."childId" AND ${notGoneSql}
          WHERE n."parentId" = ${groupId}::uuid AND n."childId" <> ${groupId}::uuid
          ORDER BY l."remoteName"`,
          { kind: "scan" },
        )
      : [];
  const wantedIds = new Set(wanted.map((g) => g.localId));
  const toAdd = wanted.filter((g) => !remote.has(g.remoteId));
  const toRemove = managed.filter((g) => !wantedIds.has(g.localId)).sort((a, b) => a.remoteName.localeCompare(b.remoteName));
  const path = `/Groups/${encodeURIComponent(remoteId)}`;
  const groups = (n: number) => plural(n, "nested group");
  for (let i = 0; i < toAdd.length; i += MEMBERS_PER_PATCH) {
    const batch = toAdd.slice(i, i + MEMBERS_PER_PATCH);
    const body = patchRequest([{ op: "add", path: "members", value: batch.map((g) => ({ value: g.remoteId, type: "Group" })) }]);
    const outcome = await send(ctx, "PATCH", path, body, `the nested groups of ${base.name}`);
    if (outcome.ok) rec.writes++;
    const changes = [{ attribute: "members", old: null, new: batch.map((g) => g.remoteName) }];
    await rec.op({
      ...base,
      action: "members_added",
      result: outcome.ok ? "SUCCESS" : "ERROR",
      changes,
      httpStatus: outcome.response?.status ?? outcome.status,
      reason: outcome.ok ? `${groups(batch.length)} added as members.` : outcome.reason,
      ...(outcome.ok ? {} : { request: body, response: outcome.response?.body }),
    });
  }
  for (let i = 0; i < toRemove.length; i += MEMBERS_PER_PATCH) {
    const batch = toRemove.slice(i, i + MEMBERS_PER_PATCH);
    const body = patchRequest(batch.map((g) => ({ op: "remove", path: elementPath("members", g.remoteId) })));
    const outcome = await send(ctx, "PATCH", path, body, `the nested groups of ${base.name}`);
    if (outcome.ok) rec.writes++;
    const changes = [{ attribute: "members", old: batch.map((g) => g.remoteName), new: null }];
    await rec.op({
      ...base,
      action: "members_removed",
      result: outcome.ok ? "SUCCESS" : "ERROR",
      changes,
      httpStatus: outcome.response?.status ?? outcome.status,
      reason: outcome.ok
        ? `${groups(batch.length)} removed: ${ctx.nesting === "NESTED" ? "no longer nested in this group" : "the profile does not push groups as members"}.`
        : outcome.reason,
      ...(outcome.ok ? {} : { request: body, response: outcome.response?.body }),
    });
  }
}

/**
 * Outside a full reconcile, a member's remote id not checked in this run is read before it goes
 * into (or out of) a group: added as a member, a reused id would let a stranger into the group.
 * A member to add whose id is stale is provisioned again first (matched or created), then added
 * under its new id; a member to remove whose id is stale is left out (never written about).
 */
async function confirmed(ctx: SyncContext, rec: Recorder, members: Member[], adding: boolean): Promise<Member[]> {
  if (ctx.fullReconcile) return members;
  const out: Member[] = [];
  await pool(members, ctx.concurrency, async (member) => {
    if (new Date(member.updatedAt) >= ctx.verifiedSince) return void out.push(member);
    const { read } = await readRemote(
      ctx,
      "Users",
      member.remoteId,
      (r) => isSameUser(r, { userName: member.name, externalId: member.externalId }),
      `the user ${member.name}`,
    );
    if (read.state === "ours") return void out.push(member);
    if (!adding || read.state === "failed") return;
    const fresh = await provisionAgain(ctx, rec, member.userId);
    if (fresh) out.push(fresh);
  });
  return out.sort((a, b) => a.userId.localeCompare(b.userId));
}

/** Provisions one user again (read, matched or created) and returns it as a member, if it is on the target now. */
async function provisionAgain(ctx: SyncContext, rec: Recorder, userId: string): Promise<Member | null> {
  const [user, link] = await Promise.all([
    db().directoryUser.findFirst({ where: { tenantId: ctx.tenantId, id: userId }, select: userSourceSelect }),
    db().exportLink.findUnique({
      where: { profileId_objectType_localId: { profileId: ctx.profileId, objectType: "USER", localId: userId } },
      select: { localId: true, remoteId: true, remoteName: true, hash: true, payload: true, active: true },
    }),
  ]);
  if (!user || !link) return null;
  await processUser(ctx, rec, user as SourceUser, link as UserLink, { lookup: true, verify: "always" });
  await rec.flush();
  const [fresh] = await sqlRows<Member>(
    sql`
    SELECT l."localId"::text AS "userId", l."remoteId", l."remoteName" AS name, l."updatedAt", l.payload->>'externalId' AS "externalId"
    FROM "ExportLink" l
    WHERE l."profileId" = ${ctx.profileId}::uuid AND l."objectType" = 'USER' AND l."localId" = ${userId}::uuid AND l.active AND ${notGoneSql}`,
    { kind: "point" },
  );
  return fresh ?? null;
}

/**
 * Incremental runs: the memberships of the listed users only, in the listed groups. One set-based
 * query finds the groups where one of them must be added or removed; only those are read.
 */
export async function syncMembershipsOfUsers(ctx: SyncContext, rec: Recorder, groupIds: string[], userIds: string[]): Promise<void> {
  if (groupIds.length === 0 || userIds.length === 0) return;
  const rows = await sqlRows<{ id: string }>(
    sql`
    SELECT gm."groupId"::text AS id FROM ${targetMembersSql(ctx.nesting, groupIds)} gm
    JOIN "ExportLink" l ON l."profileId" = ${ctx.profileId}::uuid AND l."objectType" = 'USER' AND l."localId" = gm."userId" AND l.active
    WHERE gm."userId" = ANY(${userIds}::uuid[])
      AND NOT EXISTS (SELECT 1 FROM "ExportMemberLink" m WHERE m."profileId" = ${ctx.profileId}::uuid AND m."groupLocalId" = gm."groupId" AND m."userLocalId" = gm."userId")
    UNION
    SELECT m."groupLocalId"::text FROM "ExportMemberLink" m
    LEFT JOIN "ExportLink" l ON l."profileId" = m."profileId" AND l."objectType" = 'USER' AND l."localId" = m."userLocalId"
    WHERE m."profileId" = ${ctx.profileId}::uuid AND m."userLocalId" = ANY(${userIds}::uuid[]) AND m."groupLocalId" = ANY(${groupIds}::uuid[])
      AND (l."localId" IS NULL OR NOT l.active OR NOT EXISTS (SELECT 1 FROM ${targetMembersSql(ctx.nesting, groupIds)} gm WHERE gm."groupId" = m."groupLocalId" AND gm."userId" = m."userLocalId"))`,
    { kind: "scan" },
  );
  await syncMemberships(ctx, rec, rows.map((r) => r.id).sort(), userIds);
}

export async function syncMemberships(ctx: SyncContext, rec: Recorder, groupIds: string[], onlyUserIds?: string[]): Promise<void> {
  await pool(groupIds, ctx.concurrency, (groupId) => syncMembershipsOfGroup(ctx, rec, groupId, onlyUserIds));
}
