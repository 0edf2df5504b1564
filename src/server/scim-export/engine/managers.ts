/**
 * The managers stage: sets each pushed user's enterprise manager (RFC 7643 §4.3,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`) to the MANAGER'S ID ON THE
 * TARGET, as Entra and Okta do when they provision — never the directory's own id, which means
 * nothing there. The manager is resolved through the profile's links: the directory user the
 * `managerId` names (by id, else by externalId, as IdPs send either), then that user's link.
 *
 * It runs after the users stage, so a manager created in the same run is already linked; a user
 * whose manager is not on the target yet gets none, and a later run sets it once the manager is
 * pushed. A manager removed in the directory, or no longer on the target (left the scope, link
 * gone), is cleared. What was set is remembered on the user's link (`managerRemoteId` and the
 * user's remote id it was set on: a user created again under another id starts without one), so
 * one query finds the users whose manager must change and an unchanged directory costs no request.
 */
import { Prisma } from "@/generated/prisma/client";
import { db } from "../../db";
import { sqlRows } from "../../db/sql";
import { writeUnderLease } from "../../jobs/job-store";
import { patchRequest } from "../../scim";
import { managerOperation } from "../scim-resource";
import type { SyncContext } from "./context";
import { isSameUser, notGoneSql, notGoneSqlOf } from "./drift";
import { pool } from "./pool";
import type { Recorder } from "./recorder";
import { readRemote, send } from "./remote";

const { sql } = Prisma;

type ManagerChange = {
  localId: string;
  remoteId: string;
  name: string;
  externalId: string | null;
  updatedAt: Date;
  /** The manager's remote id wanted now (null: none). */
  wanted: string | null;
  wantedName: string | null;
  /** The manager's remote id set on this remote user (null: none). */
  current: string | null;
};

/** Pushed, active users whose manager on the target differs from the directory's (one query). */
async function managerChanges(ctx: SyncContext): Promise<ManagerChange[]> {
  return sqlRows<ManagerChange>(
    sql`
    SELECT l."localId"::text AS "localId", l."remoteId", l."remoteName" AS name, l.payload->>'externalId' AS "externalId", l."updatedAt",
           ml."remoteId" AS wanted, ml."remoteName" AS "wantedName",
           CASE WHEN l."managerSetOn" = l."remoteId" THEN l."managerRemoteId" END AS current
    FROM "ExportLink" l
    JOIN "DirectoryUser" u ON u.id = l."localId" AND u."tenantId" = ${ctx.tenantId}::uuid
    LEFT JOIN LATERAL (
      SELECT m.id FROM "DirectoryUser" m
      WHERE m."tenantId" = u."tenantId" AND m.id <> u.id
        AND (m.id = CASE WHEN u."managerId" ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN u."managerId"::uuid END
             OR m."externalId" = u."managerId")
      ORDER BY (m.id::text = lower(u."managerId")) DESC
      LIMIT 1
    ) mu ON u."managerId" IS NOT NULL
    LEFT JOIN "ExportLink" ml ON ml."profileId" = l."profileId" AND ml."objectType" = 'USER' AND ml."localId" = mu.id
      AND ml.active AND ${notGoneSqlOf("ml")}
    WHERE l."profileId" = ${ctx.profileId}::uuid AND l."objectType" = 'USER' AND l.active AND ${notGoneSql}
      AND ml."remoteId" IS DISTINCT FROM (CASE WHEN l."managerSetOn" = l."remoteId" THEN l."managerRemoteId" END)
    ORDER BY l."localId"`,
    { kind: "scan" },
  );
}

export async function syncManagers(ctx: SyncContext, rec: Recorder): Promise<void> {
  if (!ctx.managerMapped) return;
  const pending = await managerChanges(ctx);
  await pool(pending, ctx.concurrency, async (change) => {
    // Never writing to a reused id: a link not written or checked in this run is read first.
    if (!ctx.fullReconcile && new Date(change.updatedAt) < ctx.verifiedSince) {
      const { read } = await readRemote(
        ctx,
        "Users",
        change.remoteId,
        (r) => isSameUser(r, { userName: change.name, externalId: change.externalId }),
        `the user ${change.name}`,
      );
      // Gone or someone else's: the next run's users stage provisions the user again, then this stage.
      if (read.state !== "ours") return;
    }
    const body = patchRequest([managerOperation(change.wanted)]);
    const outcome = await send(ctx, "PATCH", `/Users/${encodeURIComponent(change.remoteId)}`, body, `the manager of ${change.name}`);
    const changes = [{ attribute: "enterprise.manager", old: change.current, new: change.wanted }];
    const base = { objectType: "USER" as const, localId: change.localId, remoteId: change.remoteId, name: change.name, action: "updated" };
    if (!outcome.ok) {
      await rec.op({
        ...base,
        result: "ERROR",
        changes,
        httpStatus: outcome.status,
        reason: `The manager could not be set: ${outcome.reason}`,
        request: body,
        response: outcome.response?.body,
      });
      return;
    }
    rec.writes++;
    // Under the job's fence, as the recorder's links: an execution taken over records nothing.
    await writeUnderLease((tx) =>
      (tx ?? db()).exportLink.update({
        where: { profileId_objectType_localId: { profileId: ctx.profileId, objectType: "USER", localId: change.localId } },
        data: { managerRemoteId: change.wanted, managerSetOn: change.wanted === null ? null : change.remoteId },
        select: { localId: true },
      }),
    );
    await rec.op({
      ...base,
      result: "SUCCESS",
      changes,
      httpStatus: outcome.response.status,
      request: body,
      reason: change.wanted
        ? `Manager set to ${change.wantedName} (id ${change.wanted} on the target).`
        : "Manager cleared: the directory names no manager for this user on the target.",
    });
  });
}
