/**
 * Incremental runs: instead of re-reading and re-hashing every in-scope user, a run reads the
 * DirectoryChange feed since the last run that pushed everything (the profile's `syncedChangeId`)
 * and looks only at what changed:
 *   - users with a USER change (created, updated, deleted);
 *   - for groups in scope with a GROUP change (members changed, renamed): the members who are not
 *     yet provisioned (entrants) and the pushed members who are no longer members (possible leavers);
 *   - the users and groups that failed in that last run (so a failure is retried by the next run);
 *   - groups in scope that have no link yet;
 *   - every linked user who is out of scope (`leaverIds`, however it left: the feed alone misses a
 *     user created by a run and taken out of its group after that run's leavers stage).
 * A run is a full pass instead when the settings that shape the payloads or the scope changed
 * (mapping, match order, leave action, type, URL, the scope's groups, nested or not: a hash of them
 * is stored with the watermark), when the last full pass is older than the profile's
 * `fullSyncHours`, when a full sync is requested, or when too many users changed to be worth it.
 */
import { createHash } from "node:crypto";
import { Prisma } from "@/generated/prisma/client";
import { sqlRows } from "../../db/sql";
import { canonicalJson } from "../scim-resource";
import { scopeAncestorIds, targetMembersSql, type Nesting } from "../scope";

const { sql } = Prisma;

/** Above this many changed users, a full pass (chunked by id ranges) is cheaper than id lists. */
export const INCREMENTAL_MAX_USERS = 10_000;
/**
 * A DirectoryChange id is taken when the row is inserted, visible when its transaction commits: a
 * transaction still in flight when a run is planned shows as a gap in the ids. The watermark stops
 * before the first such gap, so that change is read by the next run. A gap whose next row is older
 * than this is taken as a rolled-back insert (a transaction open that long is caught by the
 * periodic full pass).
 */
const SETTLE_MS = 30_000;
export type SettingsInput = {
  type: string;
  baseUrl: string | null;
  userMapping: unknown;
  groupMapping: unknown;
  matchOrder: string[];
  leaveAction: string;
  includeNestedGroups: boolean;
  nestedGroupsOnTarget: "FLATTEN" | "NESTED";
};

/** What a full pass depends on: any change here makes the next run a full pass. */
export function settingsHash(profile: SettingsInput, scopeGroupIds: string[]): string {
  const input = {
    type: profile.type,
    baseUrl: profile.baseUrl,
    user: profile.userMapping,
    group: profile.groupMapping,
    matchOrder: profile.matchOrder,
    leaveAction: profile.leaveAction,
    nested: profile.includeNestedGroups,
    // How nested groups appear on the target matters only when they are in scope; changing it
    // reconciles every group.
    ...(profile.includeNestedGroups ? { onTarget: profile.nestedGroupsOnTarget } : {}),
    scope: [...scopeGroupIds].sort(),
  };
  return createHash("sha256").update(canonicalJson(input)).digest("hex");
}

/**
 * The watermark a run may record when it has pushed everything it read: the newest change id such
 * that no change at or below it can still appear (no recent gap in the ids). Ids are one sequence
 * for all tenants, so gaps are looked for in the whole feed, from the previous watermark or from
 * the changes older than SETTLE_MS (whichever is newer).
 */
export async function safeWatermark(previous: bigint | null): Promise<bigint> {
  const [settled] = await sqlRows<{ id: bigint }>(
    sql`
    SELECT id FROM "DirectoryChange" WHERE at < now() - make_interval(secs => ${SETTLE_MS / 1000}) ORDER BY id DESC LIMIT 1`,
    { kind: "scan" },
  );
  const base = previous !== null && (!settled || previous > settled.id) ? previous : (settled?.id ?? 0n);
  const [row] = await sqlRows<{ newest: bigint | null; beforeGap: bigint | null }>(
    sql`
    WITH s AS (
      SELECT id, at, COALESCE(lag(id) OVER (ORDER BY id), ${base}::bigint) AS prev FROM "DirectoryChange" WHERE id > ${base}::bigint
    )
    SELECT max(id) AS newest,
           min(prev) FILTER (WHERE id > prev + 1 AND at >= now() - make_interval(secs => ${SETTLE_MS / 1000})) AS "beforeGap"
    FROM s`,
    { kind: "scan" },
  );
  const watermark = row?.beforeGap ?? row?.newest ?? base;
  return watermark > base ? watermark : base;
}

export type ChangedObjects = {
  /** Users to look at (sorted ids): changed, entering or leaving through a changed group, or failed last time. */
  userIds: string[];
  /** Groups in scope to render and diff (changed, failed last time, or not linked yet). */
  groupIds: string[];
  /** Groups in scope whose whole member list is compared (changed, failed, not linked). */
  fullMemberGroupIds: string[];
  /** Groups in scope where only the listed users' memberships are compared. */
  memberGroupIds: string[];
};

export async function changedObjects(options: {
  tenantId: string;
  profileId: string;
  scopeGroupIds: string[];
  since: bigint;
  lastRunId: string | null;
  leaverIds?: string[];
  nesting?: Nesting;
}): Promise<ChangedObjects> {
  const { tenantId, profileId, scopeGroupIds, since } = options;
  const nesting = options.nesting ?? "DIRECT";
  const lastRun = options.lastRunId ?? "00000000-0000-0000-0000-000000000000";
  const changedGroups = await sqlRows<{ id: string }>(
    sql`
    SELECT DISTINCT c."entityId"::text AS id FROM "DirectoryChange" c
    WHERE c."tenantId" = ${tenantId}::uuid AND c.id > ${since} AND c.entity = 'GROUP' AND c."entityId" = ANY(${scopeGroupIds}::uuid[])
    UNION
    SELECT DISTINCT o."localId"::text FROM "ExportOperation" o
    WHERE o."runId" = ${lastRun}::uuid AND o."objectType" = 'GROUP' AND o.result = 'ERROR' AND o."localId" = ANY(${scopeGroupIds}::uuid[])
    UNION
    SELECT g::text FROM unnest(${scopeGroupIds}::uuid[]) AS g
    WHERE NOT EXISTS (SELECT 1 FROM "ExportLink" l WHERE l."profileId" = ${profileId}::uuid AND l."objectType" = 'GROUP' AND l."localId" = g)`,
    { kind: "scan" },
  );
  const groupIds = changedGroups.map((r) => r.id).sort();
  const users = await sqlRows<{ id: string }>(
    sql`
    SELECT c."entityId"::text AS id FROM "DirectoryChange" c
    WHERE c."tenantId" = ${tenantId}::uuid AND c.id > ${since} AND c.entity = 'USER'
    UNION
    SELECT o."localId"::text FROM "ExportOperation" o
    WHERE o."runId" = ${lastRun}::uuid AND o."objectType" = 'USER' AND o.result = 'ERROR' AND o."localId" IS NOT NULL
    UNION
    SELECT gm."userId"::text FROM "GroupMember" gm
    WHERE gm."groupId" = ANY(${groupIds}::uuid[])
      AND NOT EXISTS (SELECT 1 FROM "ExportLink" l WHERE l."profileId" = ${profileId}::uuid AND l."objectType" = 'USER' AND l."localId" = gm."userId" AND l.active)
    UNION
    SELECT m."userLocalId"::text FROM "ExportMemberLink" m
    WHERE m."profileId" = ${profileId}::uuid AND m."groupLocalId" = ANY(${groupIds}::uuid[])
      AND NOT EXISTS (SELECT 1 FROM "GroupMember" gm WHERE gm."groupId" = m."groupLocalId" AND gm."userId" = m."userLocalId")
    UNION
    SELECT unnest(${options.leaverIds ?? []}::uuid[])::text
    ORDER BY 1`,
    { kind: "scan" },
  );
  const userIds = users.map((r) => r.id);
  const memberGroups = userIds.length
    ? await sqlRows<{ id: string }>(
        sql`
        SELECT DISTINCT gm."groupId"::text AS id FROM ${targetMembersSql(nesting, scopeGroupIds)} gm
        WHERE gm."userId" = ANY(${userIds}::uuid[])
        UNION
        SELECT DISTINCT m."groupLocalId"::text FROM "ExportMemberLink" m
        WHERE m."profileId" = ${profileId}::uuid AND m."userLocalId" = ANY(${userIds}::uuid[]) AND m."groupLocalId" = ANY(${scopeGroupIds}::uuid[])
        ORDER BY 1`,
        { kind: "scan" },
      )
    : [];
  // With nested groups on the target (flattened or as members), a change below a group changes
  // what the groups above it list: their whole member lists are compared too.
  const above = nesting === "DIRECT" ? [] : await scopeAncestorIds(groupIds, scopeGroupIds);
  const fullMemberGroupIds = [...new Set([...groupIds, ...above])].sort();
  const full = new Set(fullMemberGroupIds);
  return {
    userIds,
    groupIds,
    fullMemberGroupIds,
    memberGroupIds: memberGroups.map((r) => r.id).filter((id) => !full.has(id)),
  };
}
