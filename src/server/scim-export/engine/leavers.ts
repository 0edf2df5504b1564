/**
 * The leavers stage: linked users who left the profile's scope are deactivated (or deleted, in
 * DELETE mode) on the target. As in the users stage, nothing is written to a remembered id the
 * engine has not confirmed in this run: outside a full reconcile the user is read by id first; a
 * user gone from the target, or whose id now holds another user, is looked for by the matching
 * order and handled where it is found — or only forgotten, when it is nowhere.
 */
import { Prisma } from "@/generated/prisma/client";
import { sqlRows } from "../../db/sql";
import type { FlatPayload } from "../mapping/render";
import { patchRequest } from "../../scim";
import type { SyncContext } from "./context";
import { isGone, isSameUser, readMark } from "./drift";
import { pool } from "./pool";
import type { Recorder } from "./recorder";
import { readRemote, send } from "./remote";
import { hashPayload, matchRemote } from "./users";

const { sql } = Prisma;

type Leaver = {
  localId: string;
  remoteId: string;
  remoteName: string;
  active: boolean;
  hash: string;
  payload: FlatPayload;
  updatedAt: Date;
};

/** Users linked (and still active on the target, or any in DELETE mode) who are no longer in scope. */
export async function leavingUsers(
  profileId: string,
  scopeGroupIds: string[],
  leaveAction: "DEACTIVATE" | "DELETE",
  onlyUserIds?: string[],
) {
  return sqlRows<Leaver>(
    sql`
    SELECT l."localId"::text AS "localId", l."remoteId", l."remoteName", l.active, l.hash, l.payload, l."updatedAt" FROM "ExportLink" l
    WHERE l."profileId" = ${profileId}::uuid AND l."objectType" = 'USER'
      ${leaveAction === "DEACTIVATE" ? sql`AND l.active` : sql``}
      ${onlyUserIds ? sql`AND l."localId" = ANY(${onlyUserIds}::uuid[])` : sql``}
      AND NOT EXISTS (SELECT 1 FROM "GroupMember" gm WHERE gm."userId" = l."localId" AND gm."groupId" = ANY(${scopeGroupIds}::uuid[]))`,
    { kind: "scan" },
  );
}

const LEFT = "The user left the profile's scope (no longer a member of an assigned group, or deleted).";

export async function syncLeavers(ctx: SyncContext, rec: Recorder, scopeGroupIds: string[], onlyUserIds?: string[]) {
  const leaving = await leavingUsers(ctx.profileId, scopeGroupIds, ctx.leaveAction, onlyUserIds);
  await pool(leaving, ctx.concurrency, async (user) => {
    await leave(ctx, rec, user);
    rec.progress();
  });
}

async function leave(ctx: SyncContext, rec: Recorder, user: Leaver): Promise<void> {
  const deleting = ctx.leaveAction === "DELETE";
  const action = deleting ? "deleted" : "deactivated";
  const forget = async (why: string) => {
    await rec.unlink("USER", user.localId);
    await rec.op({
      objectType: "USER",
      localId: user.localId,
      remoteId: user.remoteId,
      name: user.remoteName,
      action: "skipped",
      result: "SKIPPED",
      reason: `${LEFT} ${why}: nothing to ${deleting ? "delete" : "deactivate"}.`,
    });
  };
  if (isGone(user.hash)) return forget("It is no longer on the target (deleted there, or its id now holds another user)");
  const remembered = { userName: user.remoteName, externalId: user.payload.externalId };
  let remoteId = user.remoteId;
  if (!ctx.fullReconcile && user.updatedAt < ctx.verifiedSince) {
    const { read } = await readRemote(ctx, "Users", remoteId, (r) => isSameUser(r, remembered), `the user ${user.remoteName}`);
    if (read.state === "failed") {
      await rec.op({
        objectType: "USER",
        localId: user.localId,
        remoteId,
        name: user.remoteName,
        action,
        result: "ERROR",
        httpStatus: read.status,
        reason: `Could not read the user on the target before changing it. ${read.reason}`,
      });
      return;
    }
    if (read.state !== "ours") {
      const found = await matchRemote(ctx, { userName: user.remoteName, externalId: user.payload.externalId ?? null });
      if (!found)
        return forget(
          read.state === "missing"
            ? "It is gone from the target"
            : `Its remembered id now holds another user (${read.holder}), which is left alone, and it is nowhere else on the target`,
        );
      remoteId = String(found.id);
    }
  }
  const mark = readMark(user.hash);
  const reason = mark?.kind === "drift" && mark.values.active === true ? `reset: active was changed on the target. ${LEFT}` : LEFT;
  for (let attempt = 0; attempt < 2; attempt++) {
    const path = `/Users/${encodeURIComponent(remoteId)}`;
    const body = deleting ? undefined : patchRequest([{ op: "replace", path: "active", value: false }]);
    const outcome = await send(ctx, deleting ? "DELETE" : "PATCH", path, body, `the user ${user.remoteName}`);
    if (outcome.ok) {
      rec.writes++;
      if (deleting) await rec.unlink("USER", user.localId);
      else
        await rec.link({
          objectType: "USER",
          localId: user.localId,
          remoteId,
          remoteName: user.remoteName,
          hash: mark ? hashPayload(user.payload) : user.hash,
          payload: user.payload,
          active: false,
        });
      await rec.op({
        objectType: "USER",
        localId: user.localId,
        remoteId,
        name: user.remoteName,
        action,
        result: "SUCCESS",
        changes: deleting ? undefined : [{ attribute: "active", old: true, new: false }],
        reason,
      });
      return;
    }
    if (outcome.status !== 404) {
      await rec.op({
        objectType: "USER",
        localId: user.localId,
        remoteId,
        name: user.remoteName,
        action,
        result: "ERROR",
        httpStatus: outcome.status,
        reason: outcome.reason,
        request: body,
      });
      return;
    }
    // Gone since it was checked: look for it by the matching order, once.
    const found = attempt === 0 ? await matchRemote(ctx, { userName: user.remoteName, externalId: user.payload.externalId ?? null }) : null;
    if (!found) return forget("It is gone from the target");
    remoteId = String(found.id);
  }
}
