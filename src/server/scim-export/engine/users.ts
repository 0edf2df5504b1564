/**
 * The users stage: each in-scope user's rendered payload against what the target holds. Nothing
 * is ever written to a remembered remote id before the engine knows that id still holds the same
 * user: in a full reconcile the first stage read every user on the target (read-target.ts) and
 * left its findings as marks on the links; otherwise the user is read by id (one GET) right before
 * the PATCH. A user gone from the target, or whose id now holds another user, is matched again by
 * the profile's order (userName, then externalId) and created when it is nowhere; the other user
 * is left alone. An unchanged user costs no request; a changed one a GET and one PATCH with the
 * attributes that differ on the target (drift included, logged as a reset); an unlinked one is
 * matched, then adopted or created (a 409 adopts the existing user instead of failing).
 */
import { createHash } from "node:crypto";
import { Prisma } from "@/generated/prisma/client";
import { db } from "../../db";
import { sqlRows } from "../../db/sql";
import { renderMapping, type FlatPayload } from "../mapping/render";
import { userInput, userSourceSelect, type SourceUser } from "../mapping/source-values";
import { equalityFilter, listQueryString, parseListResponse, patchRequest } from "../../scim";
import { buildResource, canonicalJson, diffPayload, patchOperations, type AttributeChange } from "../scim-resource";
import type { ScimResource } from "../client/scim-client";
import type { SyncContext } from "./context";
import { isSameUser, readBack, readMark, recreatedReason, repairReason, sameValue } from "./drift";
import type { Recorder } from "./recorder";
import { flattenRemote, readRemote, send } from "./remote";
import { pool } from "./pool";

const { sql } = Prisma;

export type UserLink = { localId: string; remoteId: string; remoteName: string; hash: string; payload: FlatPayload; active: boolean };

export const hashPayload = (payload: FlatPayload) => createHash("sha256").update(canonicalJson(payload)).digest("hex");

/** Databricks: userName and emails cannot change after creation (changes are silently ignored). */
export function immutableOf(ctx: SyncContext): Set<string> {
  return ctx.type === "DATABRICKS" ? new Set(["userName", "emails"]) : new Set();
}

/** What was pushed for a linked user, as the target should hold it (a deactivated leaver: active false). */
export const pushedOf = (link: UserLink): FlatPayload => (link.active ? link.payload : { ...link.payload, active: false });

/**
 * When to read a linked user by id before deciding: "never" in a full reconcile (the read stage
 * did), "before-write" in an incremental run (only a user about to be written to), "always" for
 * Provision on Demand (which shows what it read, even when nothing is to change).
 */
export type VerifyMode = "never" | "before-write" | "always";

/** What happened to one user, for provision-on-demand's step list. */
export type UserTrace = {
  /** The user as read on the target by its remembered id (request, status, body). */
  read?: { request: string; status: number | null; resource: unknown };
  /** Lookups by the matching order, with what they found. */
  lookups?: { request: string; status: number | null; found: unknown }[];
  match?: { by: string | null; remoteId: string | null; detail: string };
  action?: string;
  sent?: unknown;
  answer?: { status: number | null; body: unknown };
};

/** One user to place on the target: its rendered payload and where the answer goes. */
type Wanted = { localId: string; userName: string; always: FlatPayload; createOnly: FlatPayload; hash: string };

export async function processUser(
  ctx: SyncContext,
  rec: Recorder,
  user: SourceUser,
  link: UserLink | null,
  options: { lookup: boolean; verify: VerifyMode; trace?: UserTrace },
): Promise<string> {
  const { always, createOnly } = renderMapping(ctx.userRows, userInput(user));
  rec.mapped.users++;
  const userName = (always.userName ?? createOnly.userName) as string | null;
  const name = userName ?? user.userName;
  if (!userName || typeof userName !== "string") {
    await rec.op({
      objectType: "USER",
      localId: user.id,
      remoteId: link?.remoteId ?? null,
      name,
      action: "skipped",
      result: "SKIPPED",
      reason: "The mapping gives this user an empty userName (no email?). Add an email to the user or change the userName mapping.",
    });
    return "skipped";
  }
  const want: Wanted = { localId: user.id, userName, always, createOnly, hash: hashPayload(always) };
  const { trace } = options;
  if (!link) {
    // Not linked: find it on the target before creating anything.
    const found = options.lookup ? await matchRemote(ctx, always, trace) : null;
    return found ? adopt(ctx, rec, want, found, trace, null, false) : createUser(ctx, rec, want, trace, null);
  }
  const mark = readMark(link.hash);
  if (mark && mark.kind !== "drift") {
    // The full reconcile's read found the remembered id gone, or holding another user.
    return rematch(ctx, rec, want, link, mark, trace, options.lookup);
  }
  if (!mark && link.hash === want.hash && link.active && options.verify !== "always") return "unchanged";
  const action = link.hash === "" ? "matched" : "updated";
  if (!mark && options.verify !== "never") {
    const remembered = { userName: link.remoteName, externalId: link.payload.externalId };
    const { read, request, status, body } = await readRemote(
      ctx,
      "Users",
      link.remoteId,
      (r) => isSameUser(r, remembered),
      `the user ${link.remoteName}`,
    );
    if (trace) trace.read = { request, status, resource: body };
    if (read.state === "failed") {
      await rec.op({
        objectType: "USER",
        localId: user.id,
        remoteId: link.remoteId,
        name: link.remoteName,
        action,
        result: "ERROR",
        httpStatus: read.status,
        reason: `Could not read the user on the target before changing it. ${read.reason}`,
        response: read.body,
      });
      return "failed";
    }
    if (read.state !== "ours")
      return rematch(
        ctx,
        rec,
        want,
        link,
        read.state === "other" ? { kind: "other", holder: read.holder } : { kind: "missing" },
        trace,
        true,
      );
    if (trace)
      trace.match = {
        by: "id",
        remoteId: link.remoteId,
        detail: `Read by its remembered id ${link.remoteId} on the target: still this user (${String(read.resource.userName ?? link.remoteName)}).`,
      };
    const { previous, drifted } = readBack(read.resource, pushedOf(link), Object.keys(always), immutableOf(ctx));
    return updateUser(ctx, rec, want, link, previous, new Set(Object.keys(drifted)), trace, action, null, false);
  }
  const values = mark?.kind === "drift" ? mark.values : {};
  const moved =
    mark?.kind === "drift" && mark.movedFrom
      ? `re-linked: found on the target under id ${link.remoteId} (the remembered id ${mark.movedFrom} was gone)`
      : null;
  return updateUser(ctx, rec, want, link, { ...pushedOf(link), ...values }, new Set(Object.keys(values)), trace, action, moved, false);
}

/**
 * The remembered id is gone or holds another user: never write to it. Match the user again by
 * the profile's order (someone may have created it under a new id), else create it again. Its
 * pushed memberships were memberships of the old id: forgotten, so the memberships stage adds
 * the new id to its groups.
 */
async function rematch(
  ctx: SyncContext,
  rec: Recorder,
  want: Wanted,
  link: UserLink,
  gone: { kind: "missing" } | { kind: "other"; holder: string },
  trace: UserTrace | undefined,
  lookup: boolean,
): Promise<string> {
  const story =
    gone.kind === "missing"
      ? `The remembered id ${link.remoteId} is gone from the target.`
      : `The remembered id ${link.remoteId} now holds another user (${gone.holder}), which is left alone.`;
  const found = lookup ? await matchRemote(ctx, want.always, trace) : null;
  if (trace)
    trace.match = {
      by: trace.match?.by ?? null,
      remoteId: found ? String(found.id) : null,
      detail: lookup ? `${story} ${trace.match?.detail ?? ""}`.trim() : story,
    };
  if (!found || String(found.id) !== link.remoteId) await rec.dropMemberLinks("USER", want.localId);
  if (found) {
    const what = gone.kind === "missing" ? "was gone" : `now holds another user (${gone.holder})`;
    return adopt(
      ctx,
      rec,
      want,
      found,
      trace,
      `re-linked: found on the target under id ${found.id} (the remembered id ${link.remoteId} ${what})`,
      true,
    );
  }
  return createUser(ctx, rec, want, trace, recreatedReason("user", link.remoteId, gone));
}

async function createUser(
  ctx: SyncContext,
  rec: Recorder,
  want: Wanted,
  trace: UserTrace | undefined,
  reason: string | null,
): Promise<string> {
  const { localId, userName, always, createOnly, hash } = want;
  const body = buildResource("user", { ...createOnly, ...always });
  if (trace) {
    trace.action = "create";
    trace.sent = body;
  }
  const created = await send(ctx, "POST", "/Users", body, `the user ${userName}`);
  if (created.ok) {
    const remote = created.response.body as ScimResource;
    rec.writes++;
    if (trace) trace.answer = { status: created.response.status, body: remote };
    // Created as the directory has it: an inactive user is linked inactive, so no group gets it as a member.
    await rec.link({
      objectType: "USER",
      localId,
      remoteId: String(remote.id),
      remoteName: userName,
      hash,
      payload: always,
      active: always.active !== false,
    });
    await rec.op({
      objectType: "USER",
      localId,
      remoteId: String(remote.id),
      name: userName,
      action: "created",
      result: "SUCCESS",
      httpStatus: created.response.status,
      request: body,
      reason,
    });
    return "created";
  }
  if (created.status === 409) {
    // Created by someone else, or by us before a lost answer: adopt it instead of failing.
    const found = await lookup(ctx, "userName", userName, trace);
    if (found) return adopt(ctx, rec, want, found, trace, null, true);
  }
  if (trace) trace.answer = { status: created.status, body: created.response?.body ?? null };
  await rec.op({
    objectType: "USER",
    localId,
    remoteId: null,
    name: userName,
    action: "created",
    result: "ERROR",
    httpStatus: created.status,
    reason: created.reason,
    request: body,
    response: created.response?.body,
  });
  return "failed";
}

async function lookup(
  ctx: SyncContext,
  attribute: "userName" | "externalId",
  value: string,
  trace?: UserTrace,
): Promise<ScimResource | null> {
  const filter = equalityFilter(attribute, value);
  const outcome = await send(
    ctx,
    "GET",
    `/Users?${listQueryString({ filter, startIndex: 1, count: 2 })}`,
    undefined,
    `the lookup of ${value}`,
  );
  // Some servers ignore filters and list everything: only a resource that really matches counts.
  const list = outcome.ok ? parseListResponse<ScimResource>(outcome.response.body).resources : [];
  const found =
    list.find((r) => typeof r[attribute] === "string" && (r[attribute] as string).toLowerCase() === value.toLowerCase()) ?? null;
  if (trace) (trace.lookups ??= []).push({ request: `GET /Users?filter=${filter}`, status: outcome.status, found });
  return found;
}

/** The user on the target by the profile's matching order (userName, then externalId), or null. */
export async function matchRemote(ctx: SyncContext, desired: FlatPayload, trace?: UserTrace): Promise<ScimResource | null> {
  for (const attribute of ctx.matchOrder) {
    const value = desired[attribute];
    if (typeof value !== "string" || !value) continue;
    const found = await lookup(ctx, attribute, value, trace);
    if (found) {
      if (trace)
        trace.match = {
          by: attribute,
          remoteId: String(found.id),
          detail: `Found the user on the target by ${attribute} = "${value}" (id ${found.id}).`,
        };
      return found;
    }
  }
  if (trace)
    trace.match = {
      by: null,
      remoteId: null,
      detail: `No user on the target with ${ctx.matchOrder.map((a) => `${a} = "${desired[a] ?? ""}"`).join(" or ")}.`,
    };
  return null;
}

/** Links a remote user found by matching, then updates what differs (as one PATCH). */
async function adopt(
  ctx: SyncContext,
  rec: Recorder,
  want: Wanted,
  remote: ScimResource,
  trace: UserTrace | undefined,
  note: string | null,
  rematched: boolean,
): Promise<string> {
  const remoteFlat = flattenRemote(remote, Object.keys(want.always));
  const link: UserLink = {
    localId: want.localId,
    remoteId: String(remote.id),
    remoteName: String(remote.userName ?? want.userName),
    hash: "",
    payload: remoteFlat,
    active: true,
  };
  return updateUser(ctx, rec, want, link, remoteFlat, new Set(), trace, "matched", note, rematched);
}

/**
 * Sends what differs between `previous` (what the target holds: pushed, or as read) and the
 * rendered payload, as one PATCH. `drifted` names the attributes someone changed on the target,
 * whose repair the operation's reason reports. A 404 means the user vanished since it was read:
 * it is matched again and created when gone (once: `rematched` stops a second round).
 */
async function updateUser(
  ctx: SyncContext,
  rec: Recorder,
  want: Wanted,
  link: UserLink,
  previous: FlatPayload,
  drifted: ReadonlySet<string>,
  trace: UserTrace | undefined,
  action: "updated" | "matched",
  note: string | null,
  rematched: boolean,
): Promise<string> {
  const { localId, always: desired, hash } = want;
  const immutable = immutableOf(ctx);
  const all = diffPayload(previous, desired).filter((c) => !sameValue(c.old, c.new));
  const blocked = all.filter((c) => immutable.has(c.attribute) && action === "updated");
  // A matched user keeps its userName/emails (they are what we matched on, in any case).
  const changes = all.filter(
    (c) => !immutable.has(c.attribute) && !(action === "matched" && (c.attribute === "userName" || c.attribute === "emails")),
  );
  const name = link.remoteName;
  if (blocked.length) {
    await rec.op({
      objectType: "USER",
      localId,
      remoteId: link.remoteId,
      name,
      action: "skipped",
      result: "SKIPPED",
      changes: blocked,
      reason: `Databricks does not allow changing ${blocked.map((b) => b.attribute).join(" and ")} after creation: the user keeps ${name} on the target. To use the new address, remove the user from Databricks and sync again.`,
    });
  }
  if (trace)
    trace.action = changes.length ? (action === "matched" ? "adopt and update" : "update") : action === "matched" ? "adopt" : "none";
  if (changes.length === 0) {
    await rec.link({
      objectType: "USER",
      localId,
      remoteId: link.remoteId,
      remoteName: name,
      hash,
      payload: desired,
      active: desired.active !== false,
    });
    if (action === "matched" || note)
      await rec.op({
        objectType: "USER",
        localId,
        remoteId: link.remoteId,
        name,
        action: "matched",
        result: "SUCCESS",
        reason: note ?? "Already on the target with the same attributes: linked without a write.",
      });
    return action === "matched" ? "matched" : "unchanged";
  }
  const body = patchRequest(patchOperations(changes));
  if (trace) trace.sent = body;
  const outcome = await send(ctx, "PATCH", `/Users/${encodeURIComponent(link.remoteId)}`, body, `the user ${name}`);
  if (trace) trace.answer = { status: outcome.response?.status ?? null, body: outcome.response?.body ?? null };
  const reason = [note, repairReason(changes, drifted)].filter(Boolean).join("; ") || null;
  if (outcome.ok) {
    rec.writes++;
    await rec.link({
      objectType: "USER",
      localId,
      remoteId: link.remoteId,
      remoteName: name,
      hash,
      payload: desired,
      active: desired.active !== false,
    });
    await rec.op({
      objectType: "USER",
      localId,
      remoteId: link.remoteId,
      name,
      action: actionOf(changes, action),
      result: "SUCCESS",
      changes,
      httpStatus: outcome.response.status,
      request: body,
      reason,
    });
    return action === "matched" ? "matched" : "updated";
  }
  if (outcome.status === 404 && !rematched) {
    // Deleted on the target since it was read: match it again, create it when gone.
    return rematch(ctx, rec, want, link, { kind: "missing" }, trace, true);
  }
  await rec.op({
    objectType: "USER",
    localId,
    remoteId: link.remoteId,
    name,
    action: actionOf(changes, action),
    result: "ERROR",
    changes,
    httpStatus: outcome.status,
    reason: outcome.reason,
    request: body,
    response: outcome.response?.body,
  });
  return "failed";
}

function actionOf(changes: AttributeChange[], action: "updated" | "matched"): string {
  if (action === "matched") return "matched";
  if (changes.length === 1 && changes[0]!.attribute === "active") return changes[0]!.new === false ? "deactivated" : "reactivated";
  return "updated";
}

/** In-scope users with ids in (after, upTo], with their links. */
async function loadUserChunk(ctx: SyncContext, scopeGroupIds: string[], after: string | null, upTo: string | null) {
  const ids = await sqlRows<{ id: string }>(
    sql`
    SELECT DISTINCT gm."userId"::text AS id FROM "GroupMember" gm
    WHERE gm."groupId" = ANY(${scopeGroupIds}::uuid[])
      ${after ? sql`AND gm."userId" > ${after}::uuid` : sql``}
      ${upTo ? sql`AND gm."userId" <= ${upTo}::uuid` : sql``}`,
    { kind: "scan" },
  );
  const idList = ids.map((r) => r.id);
  const [users, links] = await Promise.all([
    db().directoryUser.findMany({
      where: { tenantId: ctx.tenantId, id: { in: idList } },
      select: userSourceSelect,
      orderBy: { id: "asc" },
    }),
    db().exportLink.findMany({
      where: { profileId: ctx.profileId, objectType: "USER", localId: { in: idList } },
      select: { localId: true, remoteId: true, remoteName: true, hash: true, payload: true, active: true },
    }),
  ]);
  return { users: users as SourceUser[], links: new Map(links.map((l) => [l.localId, { ...l, payload: l.payload as FlatPayload }])) };
}

/** The listed users (in scope only), with their links: incremental runs. */
async function loadUsersByIds(ctx: SyncContext, scopeGroupIds: string[], userIds: string[]) {
  const ids = await sqlRows<{ id: string }>(
    sql`
    SELECT DISTINCT gm."userId"::text AS id FROM "GroupMember" gm
    WHERE gm."groupId" = ANY(${scopeGroupIds}::uuid[]) AND gm."userId" = ANY(${userIds}::uuid[])`,
    { kind: "scan" },
  );
  const idList = ids.map((r) => r.id);
  if (idList.length === 0) return { users: [] as SourceUser[], links: new Map<string, UserLink>() };
  const [users, links] = await Promise.all([
    db().directoryUser.findMany({
      where: { tenantId: ctx.tenantId, id: { in: idList } },
      select: userSourceSelect,
      orderBy: { id: "asc" },
    }),
    db().exportLink.findMany({
      where: { profileId: ctx.profileId, objectType: "USER", localId: { in: idList } },
      select: { localId: true, remoteId: true, remoteName: true, hash: true, payload: true, active: true },
    }),
  ]);
  return { users: users as SourceUser[], links: new Map(links.map((l) => [l.localId, { ...l, payload: l.payload as FlatPayload }])) };
}

/** Incremental runs: only the listed users (those that changed); unlinked ones are looked up first. */
export async function syncUserList(ctx: SyncContext, rec: Recorder, scopeGroupIds: string[], userIds: string[]) {
  const { users, links } = await loadUsersByIds(ctx, scopeGroupIds, userIds);
  rec.progress(userIds.length - users.length);
  await pool(users, ctx.concurrency, async (user) => {
    await processUser(ctx, rec, user, links.get(user.id) ?? null, { lookup: true, verify: "before-write" });
    rec.progress();
  });
}

/**
 * A full reconcile's users, by id range. The read stage before it matched every unlinked user it
 * could and marked what drifted, so nothing is read here and, unless `lookup` (a chunk resumed
 * after a crash, whose creates may have outlived their links), nothing looked up: a user still
 * unlinked is created (a 409, if it appeared since, adopts it).
 */
export async function syncUserChunk(
  ctx: SyncContext,
  rec: Recorder,
  scopeGroupIds: string[],
  after: string | null,
  upTo: string | null,
  options: { lookup: boolean } = { lookup: false },
) {
  const { users, links } = await loadUserChunk(ctx, scopeGroupIds, after, upTo);
  await pool(users, ctx.concurrency, async (user) => {
    await processUser(ctx, rec, user, links.get(user.id) ?? null, { lookup: options.lookup, verify: "never" });
    rec.progress();
  });
}
