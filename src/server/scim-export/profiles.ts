import type { Prisma } from "@/generated/prisma/client";
import type { ExportTargetType } from "@/generated/prisma/enums";
import {
  zExportConfigurationForm,
  zExportProfileForm,
  zExportProfileUpdate,
  type ExportConfigurationFormValues,
  type ExportProfileFormValues,
} from "@/lib/validation/scim-export";
import { changedFields, pick } from "../audit/changes";
import { recordAudit } from "../audit/record";
import { db } from "../db";
import { isUuid } from "../directory/ids";
import { AppError, isUniqueViolation } from "../errors";
import { profileNameTaken, profileNotFound } from "./errors";
import { defaultGroupMapping, defaultUserMapping } from "./mapping/defaults";
import { assertStoredTokenMayGoTo, sealToken } from "./profile-secret";
import { toRunSummary, runSummarySelect } from "./run-summary";
import { checkTargetUrl } from "../net/url-guard";
import { lastConnectionOf } from "./test-connection";
import type { ExportProfileDetail, ExportProfileStatus, ExportProfileSummary } from "./types";

export type TenantScoped = { tenantId: string };
export type ProfileScoped = TenantScoped & { profileId: string };

/** Databricks workspaces hold at most 10,000 users (docs.databricks.com, SCIM API limits). */
const DATABRICKS_WORKSPACE_USER_LIMIT = 10_000;

const summarySelect = {
  id: true,
  name: true,
  description: true,
  type: true,
  baseUrl: true,
  tokenCiphertext: true,
  enabled: true,
  quarantinedUntil: true,
  lastSyncAt: true,
  lastSyncStatus: true,
  nextSyncAt: true,
  createdAt: true,
  _count: { select: { groups: true } },
} satisfies Prisma.ExportProfileSelect;

type SummaryRow = Prisma.ExportProfileGetPayload<{ select: typeof summarySelect }>;

function statusOf(row: SummaryRow, running: boolean, now = new Date()): ExportProfileStatus {
  if (!row.baseUrl || !row.tokenCiphertext) return "NOT_CONFIGURED";
  if (row.quarantinedUntil && row.quarantinedUntil > now) return "QUARANTINED";
  if (running) return "RUNNING";
  if (row.lastSyncStatus === "NEEDS_CONFIRMATION") return "NEEDS_CONFIRMATION";
  if (!row.enabled) return "DISABLED";
  switch (row.lastSyncStatus) {
    case null:
    case "QUEUED":
    case "CANCELLED":
      return "NEVER_SYNCED";
    case "SUCCEEDED":
      return "HEALTHY";
    case "PARTIAL":
      return "WARNING";
    default:
      return "FAILED";
  }
}

async function linkCounts(profileIds: string[]) {
  if (profileIds.length === 0) return new Map<string, { users: number; groups: number }>();
  const rows = await db().exportLink.groupBy({
    by: ["profileId", "objectType"],
    where: { profileId: { in: profileIds }, active: true },
    _count: { _all: true },
  });
  const map = new Map<string, { users: number; groups: number }>();
  for (const r of rows) {
    const entry = map.get(r.profileId) ?? { users: 0, groups: 0 };
    if (r.objectType === "USER") entry.users = r._count._all;
    else entry.groups = r._count._all;
    map.set(r.profileId, entry);
  }
  return map;
}

async function runningProfiles(profileIds: string[]): Promise<Set<string>> {
  if (profileIds.length === 0) return new Set();
  const rows = await db().exportRun.findMany({
    where: { profileId: { in: profileIds }, status: { in: ["QUEUED", "RUNNING"] } },
    select: { profileId: true },
    distinct: ["profileId"],
  });
  return new Set(rows.map((r) => r.profileId));
}

function toSummary(row: SummaryRow, counts: { users: number; groups: number } | undefined, running: boolean): ExportProfileSummary {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    type: row.type,
    baseUrl: row.baseUrl,
    status: statusOf(row, running),
    enabled: row.enabled,
    lastSyncAt: row.lastSyncAt,
    lastSyncStatus: row.lastSyncStatus,
    nextSyncAt: row.enabled && row.baseUrl && row.tokenCiphertext ? row.nextSyncAt : null,
    assignedGroups: row._count.groups,
    syncedUsers: counts?.users ?? 0,
    syncedGroups: counts?.groups ?? 0,
    createdAt: row.createdAt,
  };
}

/** The tenant's export profiles, newest first, with their status and last sync. */
export async function listExportProfiles(options: TenantScoped): Promise<ExportProfileSummary[]> {
  const rows = await db().exportProfile.findMany({
    where: { tenantId: options.tenantId },
    orderBy: { createdAt: "desc" },
    select: summarySelect,
  });
  const ids = rows.map((r) => r.id);
  const [counts, running] = await Promise.all([linkCounts(ids), runningProfiles(ids)]);
  return rows.map((r) => toSummary(r, counts.get(r.id), running.has(r.id)));
}

/** Creates a profile with the type's default mapping. CONFLICT on `name` when the name is taken. */
export async function createExportProfile(options: TenantScoped & { input: ExportProfileFormValues }): Promise<{ id: string }> {
  const input = zExportProfileForm.parse(options.input);
  try {
    return await db().$transaction(async (tx) => {
      const created = await tx.exportProfile.create({
        data: {
          tenantId: options.tenantId,
          name: input.name,
          nameKey: input.name.toLowerCase(),
          description: input.description,
          type: input.type as ExportTargetType,
          userMapping: defaultUserMapping(input.type),
          groupMapping: defaultGroupMapping(input.type),
        },
        select: { id: true },
      });
      await recordAudit(tx, {
        tenantId: options.tenantId,
        action: "export_profile.created",
        target: { type: "export_profile", id: created.id, name: input.name },
        after: { name: input.name, description: input.description, type: input.type },
      });
      return created;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw profileNameTaken(input.name);
    throw error;
  }
}

/** The profile row of this tenant, or NOT_FOUND (another tenant's profile is "not found"). */
export async function requireProfile<S extends Prisma.ExportProfileSelect>(options: ProfileScoped, select: S) {
  if (!isUuid(options.profileId)) throw profileNotFound();
  const row = await db().exportProfile.findFirst({ where: { id: options.profileId, tenantId: options.tenantId }, select });
  if (!row) throw profileNotFound();
  return row as Prisma.ExportProfileGetPayload<{ select: S }>;
}

/** Everything the profile pages show: summary, configuration (token masked), quarantine, live run. */
export async function getExportProfile(options: ProfileScoped): Promise<ExportProfileDetail> {
  const row = await requireProfile(options, {
    ...summarySelect,
    tokenLast4: true,
    tokenUpdatedAt: true,
    scheduleMinutes: true,
    leaveAction: true,
    deletionThreshold: true,
    matchOrder: true,
    requestsPerSecond: true,
    concurrency: true,
    includeNestedGroups: true,
    nestedGroupsOnTarget: true,
    fullSyncHours: true,
    lastFullSyncAt: true,
    quarantineReason: true,
    consecutiveFailures: true,
    lastConnection: true,
  });
  const [counts, activeRun, pending] = await Promise.all([
    linkCounts([row.id]),
    db().exportRun.findFirst({
      where: { profileId: row.id, status: { in: ["QUEUED", "RUNNING"] } },
      orderBy: { createdAt: "desc" },
      select: runSummarySelect,
    }),
    db().exportRun.findFirst({
      where: { profileId: row.id, status: "NEEDS_CONFIRMATION" },
      orderBy: { createdAt: "desc" },
      select: runSummarySelect,
    }),
  ]);
  const summary = toSummary(row, counts.get(row.id), activeRun !== null);
  const quarantined = row.quarantinedUntil && row.quarantinedUntil > new Date();
  const syncedUsers = summary.syncedUsers;
  return {
    ...summary,
    configuration: {
      baseUrl: row.baseUrl,
      tokenSet: row.tokenCiphertext !== null,
      tokenMasked: row.tokenCiphertext ? `••••${row.tokenLast4 ?? ""}` : null,
      tokenSetAt: row.tokenCiphertext ? row.tokenUpdatedAt : null,
      scheduleMinutes: row.scheduleMinutes,
      leaveAction: row.leaveAction,
      deletionThreshold: row.deletionThreshold,
      enabled: row.enabled,
      matchOrder: row.matchOrder.filter((m): m is "userName" | "externalId" => m === "userName" || m === "externalId"),
      requestsPerSecond: row.requestsPerSecond,
      concurrency: row.concurrency,
      includeNestedGroups: row.includeNestedGroups,
      nestedGroupsOnTarget: row.nestedGroupsOnTarget,
      fullSyncHours: row.fullSyncHours,
      lastFullSyncAt: row.lastFullSyncAt,
    },
    quarantine: quarantined
      ? { until: row.quarantinedUntil!, reason: row.quarantineReason ?? "Repeated failures.", consecutiveFailures: row.consecutiveFailures }
      : null,
    lastConnection: lastConnectionOf(row),
    activeRun: activeRun ? toRunSummary(activeRun) : null,
    pendingConfirmation: pending ? toRunSummary(pending) : null,
    limitWarning:
      row.type === "DATABRICKS" && isWorkspaceUrl(row.baseUrl) && syncedUsers >= DATABRICKS_WORKSPACE_USER_LIMIT * 0.9
        ? `This Databricks workspace holds ${syncedUsers} synced users; a workspace allows at most ${DATABRICKS_WORKSPACE_USER_LIMIT.toLocaleString("en")}. Use the account-level SCIM URL for more.`
        : null,
  };
}

export function isWorkspaceUrl(baseUrl: string | null): boolean {
  return !!baseUrl && /\/api\/2\.0\/preview\/scim\/v2\/?$/i.test(baseUrl);
}

/** Renames or re-describes a profile (the type never changes). */
export async function updateExportProfile(
  options: ProfileScoped & { input: { name: string; description: string } },
): Promise<{ id: string }> {
  const input = zExportProfileUpdate.parse(options.input);
  const before = await requireProfile(options, { name: true, description: true });
  try {
    await db().$transaction(async (tx) => {
      await tx.exportProfile.update({
        where: { id: options.profileId },
        data: { name: input.name, nameKey: input.name.toLowerCase(), description: input.description },
        select: { id: true },
      });
      await recordAudit(tx, {
        tenantId: options.tenantId,
        action: "export_profile.updated",
        target: { type: "export_profile", id: options.profileId, name: input.name },
        before,
        after: { name: input.name, description: input.description },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw profileNameTaken(input.name);
    throw error;
  }
  return { id: options.profileId };
}

/** Deletes the profile, its links, runs and logs. Nothing is removed from the target. */
export async function deleteExportProfile(options: ProfileScoped): Promise<{ id: string }> {
  const before = await requireProfile(options, { name: true, type: true, baseUrl: true });
  await db().$transaction(async (tx) => {
    await tx.exportProfile.delete({ where: { id: options.profileId }, select: { id: true } });
    await recordAudit(tx, {
      tenantId: options.tenantId,
      action: "export_profile.deleted",
      target: { type: "export_profile", id: options.profileId, name: before.name },
      before,
    });
  });
  return { id: options.profileId };
}

/** What the Configuration tab edits, besides the token: an audit entry shows these before and after. */
const configurationSelect = {
  baseUrl: true,
  scheduleMinutes: true,
  leaveAction: true,
  deletionThreshold: true,
  enabled: true,
  matchOrder: true,
  requestsPerSecond: true,
  concurrency: true,
  fullSyncHours: true,
} as const satisfies Prisma.ExportProfileSelect;

/**
 * Saves the Configuration tab. An empty token keeps the stored one, unless the URL moves to
 * another origin (BAD_REQUEST on `token`: the token must be typed again). The URL must pass the URL
 * guard (BAD_REQUEST on `baseUrl`). Saving a new URL or token lifts a quarantine: the admin fixed it.
 */
export async function updateExportConfiguration(
  options: ProfileScoped & { input: ExportConfigurationFormValues },
): Promise<{ id: string }> {
  const input = zExportConfigurationForm.parse(options.input);
  const row = await requireProfile(options, { ...configurationSelect, id: true, name: true, tokenCiphertext: true, tokenLast4: true });
  const guard = await checkTargetUrl(input.baseUrl);
  if (!guard.ok) throw new AppError("BAD_REQUEST", guard.message, { field: "baseUrl" });
  const credentialsChanged = input.token !== "" || input.baseUrl !== row.baseUrl;
  if (!input.token && !row.tokenCiphertext) throw new AppError("BAD_REQUEST", "Enter the Secret Token.", { field: "token" });
  if (!input.token) assertStoredTokenMayGoTo(row, input.baseUrl);
  const sealed = input.token ? sealToken(row.id, input.token) : null;
  await db().$transaction(async (tx) => {
    const after = await tx.exportProfile.update({
      where: { id: row.id },
      data: {
        baseUrl: input.baseUrl,
        ...(sealed ?? {}),
        scheduleMinutes: input.scheduleMinutes,
        leaveAction: input.leaveAction,
        deletionThreshold: input.deletionThreshold,
        enabled: input.enabled,
        matchOrder: input.matchOrder,
        requestsPerSecond: input.requestsPerSecond,
        concurrency: input.concurrency,
        ...(input.fullSyncHours !== undefined ? { fullSyncHours: input.fullSyncHours } : {}),
        ...(credentialsChanged ? { quarantinedUntil: null, quarantineReason: null, consecutiveFailures: 0 } : {}),
        ...(input.scheduleMinutes === null
          ? { nextSyncAt: null }
          : input.scheduleMinutes !== row.scheduleMinutes || credentialsChanged
            ? { nextSyncAt: new Date(Date.now() + input.scheduleMinutes * 60_000) }
            : {}),
      },
      select: configurationSelect,
    });
    const target = { type: "export_profile", id: row.id, name: row.name };
    const { before: changedFrom, after: changedTo } = changedFields(pick(row, configurationSelect), after);
    if (Object.keys(changedTo).length > 0) {
      await recordAudit(tx, {
        tenantId: options.tenantId,
        action: "export_profile.configured",
        target,
        before: changedFrom,
        after: changedTo,
      });
    }
    // The token's last four characters only, as the Configuration tab shows them.
    if (sealed) {
      await recordAudit(tx, {
        tenantId: options.tenantId,
        action: "export_profile.token_replaced",
        target,
        before: row.tokenLast4 ? { tokenLast4: row.tokenLast4 } : null,
        after: { tokenLast4: sealed.tokenLast4 },
      });
    }
  });
  return { id: row.id };
}

/** Lifts a quarantine by hand ("Retry now" on the banner). */
export async function releaseExportQuarantine(options: ProfileScoped): Promise<{ id: string }> {
  const before = await requireProfile(options, { name: true, quarantinedUntil: true, quarantineReason: true, consecutiveFailures: true });
  await db().$transaction(async (tx) => {
    await tx.exportProfile.update({
      where: { id: options.profileId },
      data: { quarantinedUntil: null, quarantineReason: null, consecutiveFailures: 0 },
      select: { id: true },
    });
    const { name, ...quarantine } = before;
    await recordAudit(tx, {
      tenantId: options.tenantId,
      action: "export_profile.quarantine_released",
      target: { type: "export_profile", id: options.profileId, name },
      before: quarantine,
    });
  });
  return { id: options.profileId };
}
