import { Prisma } from "@/generated/prisma/client";
import { db } from "../../db";
import { PATCH_SCHEMA } from "../scim-resource";
import type { SyncContext } from "./context";
import { pool } from "./pool";
import type { Recorder } from "./recorder";
import { send } from "./remote";

const { sql } = Prisma;

/** Users linked (and still active on the target, or any in DELETE mode) who are no longer in scope. */
export async function leavingUsers(profileId: string, scopeGroupIds: string[], leaveAction: "DEACTIVATE" | "DELETE", onlyUserIds?: string[]) {
  return db().$queryRaw<{ localId: string; remoteId: string; remoteName: string; active: boolean }[]>(sql`
    SELECT l."localId"::text AS "localId", l."remoteId", l."remoteName", l.active FROM "ExportLink" l
    WHERE l."profileId" = ${profileId}::uuid AND l."objectType" = 'USER'
      ${leaveAction === "DEACTIVATE" ? sql`AND l.active` : sql``}
      ${onlyUserIds ? sql`AND l."localId" = ANY(${onlyUserIds}::uuid[])` : sql``}
      AND NOT EXISTS (SELECT 1 FROM "GroupMember" gm WHERE gm."userId" = l."localId" AND gm."groupId" = ANY(${scopeGroupIds}::uuid[]))`);
}

export async function syncLeavers(ctx: SyncContext, rec: Recorder, scopeGroupIds: string[], onlyUserIds?: string[]) {
  const leaving = await leavingUsers(ctx.profileId, scopeGroupIds, ctx.leaveAction, onlyUserIds);
  const reason = "The user left the profile's scope (no longer a member of an assigned group, or deleted).";
  await pool(leaving, ctx.concurrency, async (user) => {
    const path = `/Users/${encodeURIComponent(user.remoteId)}`;
    if (ctx.leaveAction === "DELETE") {
      const outcome = await send(ctx, "DELETE", path, undefined, `the user ${user.remoteName}`);
      if (outcome.ok || outcome.status === 404) {
        if (outcome.ok) rec.writes++;
        await rec.unlink("USER", user.localId);
        await rec.op({ objectType: "USER", localId: user.localId, remoteId: user.remoteId, name: user.remoteName, action: "deleted", result: "SUCCESS", reason });
      } else {
        await rec.op({ objectType: "USER", localId: user.localId, remoteId: user.remoteId, name: user.remoteName, action: "deleted", result: "ERROR", httpStatus: outcome.status, reason: outcome.reason });
      }
    } else {
      const body = { schemas: [PATCH_SCHEMA], Operations: [{ op: "replace", path: "active", value: false }] };
      const outcome = await send(ctx, "PATCH", path, body, `the user ${user.remoteName}`);
      if (outcome.ok || outcome.status === 404) {
        if (outcome.ok) rec.writes++;
        if (outcome.status === 404) await rec.unlink("USER", user.localId);
        else await db().exportLink.update({ where: { profileId_objectType_localId: { profileId: ctx.profileId, objectType: "USER", localId: user.localId } }, data: { active: false }, select: { localId: true } });
        await rec.op({ objectType: "USER", localId: user.localId, remoteId: user.remoteId, name: user.remoteName, action: "deactivated", result: "SUCCESS", changes: [{ attribute: "active", old: true, new: false }], reason });
      } else {
        await rec.op({ objectType: "USER", localId: user.localId, remoteId: user.remoteId, name: user.remoteName, action: "deactivated", result: "ERROR", httpStatus: outcome.status, reason: outcome.reason, request: body });
      }
    }
    rec.progress();
  });
}
