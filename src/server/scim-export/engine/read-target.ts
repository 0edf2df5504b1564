/**
 * The first stage of a full reconcile: read every user on the target and hold the link table
 * against what was read. It writes nothing on the target; what it finds is left on the links as
 * marks (drift.ts) for the users and leavers stages after it:
 *   - a linked user found at its remembered id is compared with what was pushed; attributes that
 *     differ are marked as drift, to be set back to the mapped values;
 *   - a linked user not at its id is looked for among the remote users no link claims, by the
 *     matching order (someone re-created it): re-linked to that id; otherwise marked missing, or
 *     "other" when its id now holds another user, whom the engine never writes to;
 *   - unlinked in-scope users are matched against the remote users no link claims (an initial
 *     cycle against a filled target): linked, so the users stage adopts instead of creating.
 * Reading costs one GET per page of the target's largest page (PAGE_SIZE), a few pages at a time
 * within the pacer's budget; the lookups stay in memory (remote users no link claims are kept
 * whole; the others only as the ids found).
 */
import { Prisma } from "@/generated/prisma/client";
import { db } from "../../db";
import { sqlRows } from "../../db/sql";
import { listQueryString, parseListResponse } from "../../scim";
import type { ScimResource } from "../client/scim-client";
import type { FlatPayload } from "../mapping/render";
import { renderMapping } from "../mapping/render";
import { userInput, userSourceSelect, type SourceUser } from "../mapping/source-values";
import type { SyncContext } from "./context";
import { isSameUser, markHash, readBack, readMark } from "./drift";
import { pool } from "./pool";
import type { Recorder } from "./recorder";
import { FatalTargetError, flattenRemote, send } from "./remote";
import { hashPayload, immutableOf, pushedOf, type UserLink } from "./users";

const { sql } = Prisma;

/** Databricks documents pages of at most 100 users or groups (the emulator caps `count` there too). */
const PAGE_SIZE = 100;
const LINK_BATCH = 5000;
const LOOKUP_BATCH = 1000;

/**
 * Every resource of a type, page by page: the first page tells the page size the target really
 * uses and the total; the other pages are then read `ctx.concurrency` at a time. `onPage` sees
 * each resource once (a server that ignores startIndex repeats pages). A page that cannot be read
 * stops the run before anything is written: an incomplete listing would make present users look
 * missing.
 */
async function listTarget(
  ctx: SyncContext,
  resource: "Users" | "Groups",
  onPage: (items: ScimResource[]) => Promise<void>,
): Promise<{ pages: number; listed: number }> {
  const what = resource === "Users" ? "the target's users" : "the target's groups";
  const read = async (startIndex: number) => {
    const outcome = await send(ctx, "GET", `/${resource}?${listQueryString({ startIndex, count: PAGE_SIZE })}`, undefined, what);
    if (!outcome.ok)
      throw new FatalTargetError(
        `Could not read ${what} (the page from ${startIndex}): ${outcome.reason} Nothing was changed; the next sync retries.`,
        outcome.status,
        false,
      );
    return parseListResponse<ScimResource>(outcome.response.body);
  };
  const seen = new Set<string>();
  const deliver = (items: ScimResource[]) => onPage(items.filter((r) => !seen.has(String(r.id)) && !!seen.add(String(r.id))));
  const first = await read(1);
  const firstItems = first.resources;
  await deliver(firstItems);
  let pages = 1;
  const size = firstItems.length;
  if (size === 0) return { pages, listed: 0 };
  if (typeof first.totalResults === "number") {
    const starts: number[] = [];
    for (let s = 1 + size; s <= first.totalResults; s += size) starts.push(s);
    await pool(starts, ctx.concurrency, async (startIndex) => {
      const page = await read(startIndex);
      pages++;
      await deliver(page.resources);
    });
  } else {
    for (let startIndex = 1 + size; ; startIndex += size) {
      const items = (await read(startIndex)).resources;
      pages++;
      await deliver(items);
      if (items.length < size) break;
    }
  }
  return { pages, listed: seen.size };
}

const linkSelect = { localId: true, remoteId: true, remoteName: true, hash: true, payload: true, active: true } as const;
const asLink = (l: {
  localId: string;
  remoteId: string;
  remoteName: string;
  hash: string;
  payload: unknown;
  active: boolean;
}): UserLink => ({ ...l, payload: l.payload as FlatPayload });

export async function readTargetUsers(ctx: SyncContext, rec: Recorder, scopeGroupIds: string[]): Promise<void> {
  const ignore = immutableOf(ctx);
  const found = new Set<string>();
  const heldBy = new Map<string, string>();
  const free = new Map<string, ScimResource>();

  // Pages are held against the links a batch at a time: one query per LOOKUP_BATCH remote users.
  const examine = async (batch: ScimResource[]) => {
    const links = (
      await sqlRows<Omit<UserLink, "payload"> & { payload: unknown }>(
        sql`
        SELECT l."localId"::text AS "localId", l."remoteId", l."remoteName", l.hash, l.payload, l.active FROM "ExportLink" l
        WHERE l."profileId" = ${ctx.profileId}::uuid AND l."objectType" = 'USER' AND l."remoteId" = ANY(${batch.map((r) => String(r.id))}::text[])`,
        { kind: "scan" },
      )
    ).map(asLink);
    const byRemote = new Map<string, UserLink[]>();
    for (const l of links) byRemote.set(l.remoteId, [...(byRemote.get(l.remoteId) ?? []), l]);
    for (const remote of batch) {
      const claimed = byRemote.get(String(remote.id)) ?? [];
      const link = claimed.find((l) => isSameUser(remote, { userName: l.remoteName, externalId: l.payload.externalId }));
      for (const other of claimed) if (other !== link) heldBy.set(other.localId, String(remote.userName ?? remote.id));
      if (!link) {
        free.set(String(remote.id), remote);
        continue;
      }
      found.add(link.localId);
      const { drifted } = readBack(remote, pushedOf(link), [], ignore);
      if (Object.keys(drifted).length) {
        // Someone reactivating a user we deactivated makes it active again here: the leavers stage deactivates it.
        await rec.link({
          objectType: "USER",
          ...link,
          hash: markHash({ kind: "drift", values: drifted }),
          active: link.active || drifted.active === true,
        });
      } else if (readMark(link.hash)) {
        // A mark from a reconcile that did not finish: the target holds what was pushed again.
        await rec.link({ objectType: "USER", ...link, hash: hashPayload(link.payload) });
      }
    }
  };
  let pending: ScimResource[] = [];
  await listTarget(ctx, "Users", async (page) => {
    pending.push(...page);
    if (pending.length < LOOKUP_BATCH) return;
    const batch = pending;
    pending = [];
    await examine(batch);
  });
  await examine(pending);

  const freeIndex = indexByMatchKeys(ctx, free);
  await forEachUnfoundLink(ctx, found, async (link) => {
    const remote = takeMatch(ctx, free, freeIndex, {
      userName: (link.payload.userName as string | null) ?? link.remoteName,
      externalId: link.payload.externalId as string | null,
    });
    if (remote) {
      const { drifted } = readBack(remote, pushedOf(link), [], ignore);
      await rec.link({
        objectType: "USER",
        ...link,
        remoteId: String(remote.id),
        remoteName: String(remote.userName ?? link.remoteName),
        hash: markHash({ kind: "drift", values: drifted, movedFrom: link.remoteId }),
        active: link.active || drifted.active === true,
      });
      await rec.dropMemberLinks("USER", link.localId);
    } else if (!link.active) {
      // A leaver we deactivated, since deleted on the target: nothing is left to keep in line.
      await rec.unlink("USER", link.localId);
    } else {
      const holder = heldBy.get(link.localId);
      await rec.link({
        objectType: "USER",
        ...link,
        hash: markHash(holder ? { kind: "other", holder } : { kind: "missing" }),
        active: false,
      });
      await rec.dropMemberLinks("USER", link.localId);
    }
  });

  if (free.size) await matchUnlinkedUsers(ctx, rec, scopeGroupIds, free, freeIndex);
  await rec.flush();
}

/** The links whose user the listing did not find at its remembered id, in batches. */
async function forEachUnfoundLink(ctx: SyncContext, found: ReadonlySet<string>, fn: (link: UserLink) => Promise<void>) {
  let after: string | null = null;
  for (;;) {
    const ids: { localId: string }[] = await db().exportLink.findMany({
      where: { profileId: ctx.profileId, objectType: "USER", ...(after ? { localId: { gt: after } } : {}) },
      orderBy: { localId: "asc" },
      take: LINK_BATCH,
      select: { localId: true },
    });
    if (ids.length === 0) return;
    after = ids.at(-1)!.localId;
    const unfound = ids.map((l) => l.localId).filter((id) => !found.has(id));
    if (unfound.length === 0) continue;
    const links = await db().exportLink.findMany({
      where: { profileId: ctx.profileId, objectType: "USER", localId: { in: unfound } },
      select: linkSelect,
    });
    for (const link of links) await fn(asLink(link));
  }
}

type MatchIndex = Map<string, string>;

/** Remote users by `<attribute>:<lower value>` for the matching order's attributes (first in order wins). */
function indexByMatchKeys(ctx: SyncContext, free: ReadonlyMap<string, ScimResource>): MatchIndex {
  const index: MatchIndex = new Map();
  for (const attribute of [...ctx.matchOrder].reverse()) {
    for (const remote of free.values()) {
      const v = remote[attribute];
      if (typeof v === "string" && v) index.set(`${attribute}:${v.toLowerCase()}`, String(remote.id));
    }
  }
  return index;
}

/** The free remote user matching these values by the profile's order, claimed (no longer free). */
function takeMatch(
  ctx: SyncContext,
  free: Map<string, ScimResource>,
  index: MatchIndex,
  values: Partial<Record<"userName" | "externalId", string | null>>,
): ScimResource | null {
  for (const attribute of ctx.matchOrder) {
    const v = values[attribute];
    const id = typeof v === "string" && v ? index.get(`${attribute}:${v.toLowerCase()}`) : undefined;
    const remote = id ? free.get(id) : undefined;
    if (remote) {
      free.delete(id!);
      return remote;
    }
  }
  return null;
}

/**
 * In-scope users without a link, matched against the remote users no link claims: linked with an
 * empty hash and the remote values, so the users stage adopts them with only the differences.
 */
async function matchUnlinkedUsers(
  ctx: SyncContext,
  rec: Recorder,
  scopeGroupIds: string[],
  free: Map<string, ScimResource>,
  index: MatchIndex,
) {
  let after: string | null = null;
  while (free.size) {
    const ids: { id: string }[] = await sqlRows<{ id: string }>(
      sql`
      SELECT DISTINCT gm."userId"::text AS id FROM "GroupMember" gm
      WHERE gm."groupId" = ANY(${scopeGroupIds}::uuid[]) ${after ? sql`AND gm."userId" > ${after}::uuid` : sql``}
        AND NOT EXISTS (SELECT 1 FROM "ExportLink" l WHERE l."profileId" = ${ctx.profileId}::uuid AND l."objectType" = 'USER' AND l."localId" = gm."userId")
      ORDER BY 1 LIMIT 2000`,
      { kind: "scan" },
    );
    if (ids.length === 0) return;
    after = ids.at(-1)!.id;
    const users = (await db().directoryUser.findMany({
      where: { tenantId: ctx.tenantId, id: { in: ids.map((r) => r.id) } },
      select: userSourceSelect,
    })) as SourceUser[];
    for (const user of users) {
      const { always } = renderMapping(ctx.userRows, userInput(user));
      const remote = takeMatch(ctx, free, index, {
        userName: always.userName as string | null,
        externalId: always.externalId as string | null,
      });
      if (!remote) continue;
      const payload = flattenRemote(remote, Object.keys(always));
      await rec.link({
        objectType: "USER",
        localId: user.id,
        remoteId: String(remote.id),
        remoteName: String(remote.userName ?? always.userName),
        hash: "",
        payload,
        active: true,
      });
    }
  }
}
