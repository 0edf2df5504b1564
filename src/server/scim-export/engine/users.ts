/**
 * The users stage: for each in-scope user, the rendered payload against the link table:
 * same hash → nothing is sent; changed → one PATCH with the changed attributes only; not linked
 * → match on the target (userName, then externalId, by the profile's order) and adopt, else one
 * POST (a 409 adopts the existing user instead of failing).
 */
import { createHash } from "node:crypto";
import { Prisma } from "@/generated/prisma/client";
import { db } from "../../db";
import { renderMapping, type FlatPayload } from "../mapping/render";
import { userInput, userSourceSelect, type SourceUser } from "../mapping/source-values";
import { buildResource, canonicalJson, diffPayload, patchOperations, PATCH_SCHEMA, type AttributeChange } from "../scim-resource";
import type { ScimResource } from "../client/scim-client";
import type { SyncContext } from "./context";
import type { Recorder } from "./recorder";
import { flattenRemote, send } from "./remote";
import { pool } from "./pool";

const { sql } = Prisma;

export type UserLink = { localId: string; remoteId: string; remoteName: string; hash: string; payload: FlatPayload; active: boolean };

export const hashPayload = (payload: FlatPayload) => createHash("sha256").update(canonicalJson(payload)).digest("hex");

/** Databricks: userName and emails cannot change after creation (changes are silently ignored). */
function immutableOf(ctx: SyncContext): Set<string> {
  return ctx.type === "DATABRICKS" ? new Set(["userName", "emails"]) : new Set();
}

/** What happened to one user, for provision-on-demand's step list. */
export type UserTrace = {
  match?: { by: string | null; remoteId: string | null; detail: string };
  action?: string;
  sent?: unknown;
  answer?: { status: number | null; body: unknown };
};

export async function processUser(ctx: SyncContext, rec: Recorder, user: SourceUser, link: UserLink | null, options: { lookup: boolean; trace?: UserTrace }): Promise<string> {
  const { always, createOnly } = renderMapping(ctx.userRows, userInput(user));
  rec.mapped.users++;
  const userName = (always.userName ?? createOnly.userName) as string | null;
  const name = userName ?? user.userName;
  if (!userName || typeof userName !== "string") {
    await rec.op({ objectType: "USER", localId: user.id, remoteId: link?.remoteId ?? null, name, action: "skipped", result: "SKIPPED", reason: "The mapping gives this user an empty userName (no email?). Add an email to the user or change the userName mapping." });
    return "skipped";
  }
  const hash = hashPayload(always);
  if (link) {
    const previous = link.active ? link.payload : { ...link.payload, active: false };
    if (link.hash === hash && link.active) return "unchanged";
    return updateUser(ctx, rec, user.id, link, previous, always, hash, options.trace, link.hash === "" ? "matched" : "updated");
  }
  // Not linked: find it on the target before creating anything.
  if (options.lookup) {
    const found = await matchRemote(ctx, always, options.trace);
    if (found) return adopt(ctx, rec, user.id, found, always, hash, options.trace);
  }
  const body = buildResource("user", { ...createOnly, ...always });
  if (options.trace) {
    options.trace.action = "create";
    options.trace.sent = body;
  }
  const created = await send(ctx, "POST", "/Users", body, `the user ${userName}`);
  if (created.ok) {
    const remote = created.response.body as ScimResource;
    rec.writes++;
    if (options.trace) options.trace.answer = { status: created.response.status, body: remote };
    await rec.link({ objectType: "USER", localId: user.id, remoteId: String(remote.id), remoteName: userName, hash, payload: always, active: true });
    await rec.op({ objectType: "USER", localId: user.id, remoteId: String(remote.id), name: userName, action: "created", result: "SUCCESS", httpStatus: created.response.status, request: body });
    return "created";
  }
  if (created.status === 409) {
    // Created by someone else, or by us before a lost answer: adopt it instead of failing.
    const found = await lookup(ctx, "userName", userName);
    if (found) return adopt(ctx, rec, user.id, found, always, hash, options.trace);
  }
  if (options.trace) options.trace.answer = { status: created.status, body: created.response?.body ?? null };
  await rec.op({ objectType: "USER", localId: user.id, remoteId: null, name: userName, action: "created", result: "ERROR", httpStatus: created.status, reason: created.reason, request: body, response: created.response?.body });
  return "failed";
}

async function lookup(ctx: SyncContext, attribute: "userName" | "externalId", value: string): Promise<ScimResource | null> {
  const outcome = await send(ctx, "GET", `/Users?filter=${encodeURIComponent(`${attribute} eq ${JSON.stringify(value)}`)}&startIndex=1&count=2`, undefined, `the lookup of ${value}`);
  if (!outcome.ok) return null;
  // Some servers ignore filters and list everything: only a resource that really matches counts.
  const list = (outcome.response.body as { Resources?: ScimResource[] })?.Resources ?? [];
  return list.find((r) => typeof r[attribute] === "string" && (r[attribute] as string).toLowerCase() === value.toLowerCase()) ?? null;
}

async function matchRemote(ctx: SyncContext, desired: FlatPayload, trace?: UserTrace): Promise<ScimResource | null> {
  for (const attribute of ctx.matchOrder) {
    const value = desired[attribute];
    if (typeof value !== "string" || !value) continue;
    const found = await lookup(ctx, attribute, value);
    if (found) {
      if (trace) trace.match = { by: attribute, remoteId: String(found.id), detail: `Found the user on the target by ${attribute} = "${value}" (id ${found.id}).` };
      return found;
    }
  }
  if (trace) trace.match = { by: null, remoteId: null, detail: `No user on the target with ${ctx.matchOrder.map((a) => `${a} = "${desired[a] ?? ""}"`).join(" or ")}.` };
  return null;
}

/** Links a remote user found by matching, then updates what differs (as one PATCH). */
async function adopt(ctx: SyncContext, rec: Recorder, localId: string, remote: ScimResource, desired: FlatPayload, hash: string, trace?: UserTrace): Promise<string> {
  const remoteFlat = flattenRemote(remote, Object.keys(desired));
  const link: UserLink = { localId, remoteId: String(remote.id), remoteName: String(remote.userName ?? desired.userName), hash: "", payload: remoteFlat, active: true };
  return updateUser(ctx, rec, localId, link, remoteFlat, desired, hash, trace, "matched");
}

async function updateUser(
  ctx: SyncContext,
  rec: Recorder,
  localId: string,
  link: UserLink,
  previous: FlatPayload,
  desired: FlatPayload,
  hash: string,
  trace: UserTrace | undefined,
  action: "updated" | "matched",
): Promise<string> {
  const immutable = immutableOf(ctx);
  const all = diffPayload(previous, desired);
  const blocked = all.filter((c) => immutable.has(c.attribute) && action === "updated");
  // A matched user keeps its userName/emails (they are what we matched on, in any case).
  const changes = all.filter((c) => !immutable.has(c.attribute) && !(action === "matched" && (c.attribute === "userName" || c.attribute === "emails")));
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
  if (trace) trace.action = changes.length ? (action === "matched" ? "adopt and update" : "update") : action === "matched" ? "adopt" : "none";
  if (changes.length === 0) {
    await rec.link({ objectType: "USER", localId, remoteId: link.remoteId, remoteName: name, hash, payload: desired, active: desired.active !== false });
    if (action === "matched") await rec.op({ objectType: "USER", localId, remoteId: link.remoteId, name, action: "matched", result: "SUCCESS", reason: "Already on the target with the same attributes: linked without a write." });
    return action === "matched" ? "matched" : "unchanged";
  }
  const body = { schemas: [PATCH_SCHEMA], Operations: patchOperations(changes) };
  if (trace) trace.sent = body;
  const outcome = await send(ctx, "PATCH", `/Users/${encodeURIComponent(link.remoteId)}`, body, `the user ${name}`);
  if (trace) trace.answer = { status: outcome.response?.status ?? null, body: outcome.response?.body ?? null };
  if (outcome.ok) {
    rec.writes++;
    await rec.link({ objectType: "USER", localId, remoteId: link.remoteId, remoteName: name, hash, payload: desired, active: desired.active !== false });
    await rec.op({ objectType: "USER", localId, remoteId: link.remoteId, name, action: actionOf(changes, action), result: "SUCCESS", changes, httpStatus: outcome.response.status, request: body });
    return action === "matched" ? "matched" : "updated";
  }
  if (outcome.status === 404 && action === "updated") {
    // Deleted on the target behind our back: forget the link; the next run creates it again.
    await rec.unlink("USER", localId);
  }
  await rec.op({ objectType: "USER", localId, remoteId: link.remoteId, name, action: actionOf(changes, action), result: "ERROR", changes, httpStatus: outcome.status, reason: outcome.reason, request: body, response: outcome.response?.body });
  return "failed";
}

function actionOf(changes: AttributeChange[], action: "updated" | "matched"): string {
  if (action === "matched") return "matched";
  if (changes.length === 1 && changes[0]!.attribute === "active") return changes[0]!.new === false ? "deactivated" : "reactivated";
  return "updated";
}

/** In-scope users with ids in (after, upTo], with their links. */
export async function loadUserChunk(ctx: SyncContext, scopeGroupIds: string[], after: string | null, upTo: string | null) {
  const ids = await db().$queryRaw<{ id: string }[]>(sql`
    SELECT DISTINCT gm."userId"::text AS id FROM "GroupMember" gm
    WHERE gm."groupId" = ANY(${scopeGroupIds}::uuid[])
      ${after ? sql`AND gm."userId" > ${after}::uuid` : sql``}
      ${upTo ? sql`AND gm."userId" <= ${upTo}::uuid` : sql``}`);
  const idList = ids.map((r) => r.id);
  const [users, links] = await Promise.all([
    db().directoryUser.findMany({ where: { tenantId: ctx.tenantId, id: { in: idList } }, select: userSourceSelect, orderBy: { id: "asc" } }),
    db().exportLink.findMany({
      where: { profileId: ctx.profileId, objectType: "USER", localId: { in: idList } },
      select: { localId: true, remoteId: true, remoteName: true, hash: true, payload: true, active: true },
    }),
  ]);
  return { users: users as SourceUser[], links: new Map(links.map((l) => [l.localId, { ...l, payload: l.payload as FlatPayload }])) };
}

/** The listed users (in scope only), with their links: incremental runs. */
export async function loadUsersByIds(ctx: SyncContext, scopeGroupIds: string[], userIds: string[]) {
  const ids = await db().$queryRaw<{ id: string }[]>(sql`
    SELECT DISTINCT gm."userId"::text AS id FROM "GroupMember" gm
    WHERE gm."groupId" = ANY(${scopeGroupIds}::uuid[]) AND gm."userId" = ANY(${userIds}::uuid[])`);
  const idList = ids.map((r) => r.id);
  if (idList.length === 0) return { users: [] as SourceUser[], links: new Map<string, UserLink>() };
  const [users, links] = await Promise.all([
    db().directoryUser.findMany({ where: { tenantId: ctx.tenantId, id: { in: idList } }, select: userSourceSelect, orderBy: { id: "asc" } }),
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
    await processUser(ctx, rec, user, links.get(user.id) ?? null, { lookup: true });
    rec.progress();
  });
}

export async function syncUserChunk(ctx: SyncContext, rec: Recorder, scopeGroupIds: string[], after: string | null, upTo: string | null, lookupUnlinked: boolean) {
  const { users, links } = await loadUserChunk(ctx, scopeGroupIds, after, upTo);
  await pool(users, ctx.concurrency, async (user) => {
    await processUser(ctx, rec, user, links.get(user.id) ?? null, { lookup: lookupUnlinked });
    rec.progress();
  });
}

/**
 * Initial cycles: instead of one lookup per user, list the target's users once (pages of 100,
 * fetched in parallel) and link every unlinked in-scope user that matches. The users stage then
 * sends only the differences (nothing at all for users already right).
 */
export async function prefetchAndMatch(ctx: SyncContext, rec: Recorder, scopeGroupIds: string[]): Promise<number> {
  const first = await send(ctx, "GET", `/Users?startIndex=1&count=100`, undefined, "the user list");
  if (!first.ok) return 0;
  const body = first.response.body as { Resources?: ScimResource[]; totalResults?: number };
  const remote: ScimResource[] = [...(body.Resources ?? [])];
  const total = body.totalResults ?? remote.length;
  const starts: number[] = [];
  for (let s = 1 + remote.length; s <= total; s += 100) starts.push(s);
  await pool(starts, Math.max(ctx.concurrency, 4), async (startIndex) => {
    const page = await send(ctx, "GET", `/Users?startIndex=${startIndex}&count=100`, undefined, "the user list");
    if (page.ok) remote.push(...((page.response.body as { Resources?: ScimResource[] }).Resources ?? []));
  });
  if (remote.length === 0) return 0;
  const byKey = new Map<string, ScimResource>();
  for (const attribute of [...ctx.matchOrder].reverse()) {
    for (const r of remote) {
      const v = r[attribute];
      if (typeof v === "string" && v) byKey.set(`${attribute}:${v.toLowerCase()}`, r);
    }
  }
  const linkedRemote = new Set((await db().exportLink.findMany({ where: { profileId: ctx.profileId, objectType: "USER" }, select: { remoteId: true } })).map((l) => l.remoteId));
  let matched = 0;
  let after: string | null = null;
  for (;;) {
    const { users, links } = await loadUserChunkPage(ctx, scopeGroupIds, after, 2000);
    if (users.length === 0) break;
    after = users.at(-1)!.id;
    for (const user of users) {
      if (links.has(user.id)) continue;
      const { always } = renderMapping(ctx.userRows, userInput(user));
      for (const attribute of ctx.matchOrder) {
        const v = always[attribute];
        const found = typeof v === "string" && v ? byKey.get(`${attribute}:${v.toLowerCase()}`) : undefined;
        if (found && !linkedRemote.has(String(found.id))) {
          linkedRemote.add(String(found.id));
          const payload = flattenRemote(found, Object.keys(always));
          await rec.link({ objectType: "USER", localId: user.id, remoteId: String(found.id), remoteName: String(found.userName ?? v), hash: "", payload, active: true });
          matched++;
          break;
        }
      }
    }
  }
  await rec.flush(ctx.client.stats);
  return matched;
}

async function loadUserChunkPage(ctx: SyncContext, scopeGroupIds: string[], after: string | null, limit: number) {
  const ids = await db().$queryRaw<{ id: string }[]>(sql`
    SELECT DISTINCT gm."userId"::text AS id FROM "GroupMember" gm
    WHERE gm."groupId" = ANY(${scopeGroupIds}::uuid[]) ${after ? sql`AND gm."userId" > ${after}::uuid` : sql``}
    ORDER BY 1 LIMIT ${limit}`);
  if (ids.length === 0) return { users: [], links: new Map() };
  return loadUserChunk(ctx, scopeGroupIds, after, ids.at(-1)!.id);
}
