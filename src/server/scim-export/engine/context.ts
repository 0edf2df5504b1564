import type { ExportLeaveAction, ExportTargetType } from "@/generated/prisma/enums";
import { db } from "../../db";
import { defaultBudget, pacerFor } from "../client/pacer";
import { newStats, ScimClient, type ClientRetries } from "../client/scim-client";
import { storedRows } from "../mapping-service";
import { compileMapping, type CompiledRow } from "../mapping/render";
import { groupAttributeTypes, userAttributeTypes } from "../mapping/source-values";
import { openToken } from "../profile-secret";
import { nestingOf, type Nesting } from "../scope";
import { allowPrivateTargets } from "../settings";
import { dryRunTarget } from "./dry-run";
import { MANAGER_TARGET } from "../scim-resource";

/** Everything a sync stage needs, loaded once per stage from the profile. */
export type SyncContext = {
  tenantId: string;
  profileId: string;
  runId: string;
  type: ExportTargetType;
  baseUrl: string;
  token: string;
  client: ScimClient;
  userRows: CompiledRow[];
  groupRows: CompiledRow[];
  matchOrder: ("userName" | "externalId")[];
  leaveAction: ExportLeaveAction;
  deletionThreshold: number;
  includeNestedGroups: boolean;
  /** How nested groups appear on the target (scope.ts). */
  nesting: Nesting;
  /**
   * The user mapping sets the enterprise manager: it is left out of the users stage's payloads and
   * set by the managers stage (managers.ts) to the manager's id on the target, once linked there.
   */
  managerMapped: boolean;
  concurrency: number;
  /**
   * A full reconcile: its first stage read every user on the target and marked the links that
   * drifted (drift.ts), so a link left unmarked is known to hold our user.
   */
  fullReconcile: boolean;
  /**
   * Outside a full reconcile, links written since this instant were checked on the target by
   * this run; an older remote id is read (GET by id) before it is written to or added to a group.
   */
  verifiedSince: Date;
  /** Requests that failed in a row (after retries): the outage detector. */
  health: { consecutiveFailures: number };
};

export class ConfigurationError extends Error {}

export async function loadSyncContext(options: {
  tenantId: string;
  profileId: string;
  runId: string;
  /** The client's retry timings; the production defaults when absent. */
  retries?: ClientRetries;
}): Promise<SyncContext> {
  const profile = await db().exportProfile.findFirst({
    where: { id: options.profileId, tenantId: options.tenantId },
    select: {
      id: true,
      type: true,
      baseUrl: true,
      tokenCiphertext: true,
      userMapping: true,
      groupMapping: true,
      matchOrder: true,
      leaveAction: true,
      deletionThreshold: true,
      includeNestedGroups: true,
      nestedGroupsOnTarget: true,
      concurrency: true,
      requestsPerSecond: true,
    },
  });
  if (!profile) throw new ConfigurationError("The export profile no longer exists.");
  const run = await db().exportRun.findUnique({
    where: { id: options.runId },
    select: { mode: true, plannedAt: true, startedAt: true, createdAt: true },
  });
  if (!profile.baseUrl || !profile.tokenCiphertext)
    throw new ConfigurationError("The profile has no Tenant URL or Secret Token: complete the Configuration tab.");
  const token = openToken(profile.id, profile.tokenCiphertext);
  const user = compileMapping(storedRows(profile.userMapping), userAttributeTypes);
  const group = compileMapping(storedRows(profile.groupMapping), groupAttributeTypes);
  const problem = user.problems[0] ?? group.problems[0];
  if (problem)
    throw new ConfigurationError(`The mapping has an error (row ${problem.index + 1}): ${problem.message}. Fix it on the Mapping tab.`);
  const client = new ScimClient({
    baseUrl: profile.baseUrl,
    token,
    allowPrivate: allowPrivateTargets(),
    pacer: pacerFor(profile.baseUrl, defaultBudget(profile.baseUrl, profile.type, profile.requestsPerSecond)),
    stats: newStats(),
    ...options.retries,
    dryRun: dryRunTarget(),
  });
  return {
    tenantId: options.tenantId,
    profileId: profile.id,
    runId: options.runId,
    type: profile.type,
    baseUrl: profile.baseUrl,
    token,
    client,
    userRows: user.rows.filter((r) => r.target !== MANAGER_TARGET),
    groupRows: group.rows,
    matchOrder: profile.matchOrder.filter((m): m is "userName" | "externalId" => m === "userName" || m === "externalId"),
    leaveAction: profile.leaveAction,
    deletionThreshold: profile.deletionThreshold,
    includeNestedGroups: profile.includeNestedGroups,
    nesting: nestingOf(profile),
    managerMapped: user.rows.some((r) => r.target === MANAGER_TARGET),
    concurrency: Math.max(1, profile.concurrency),
    fullReconcile: run?.mode === "full",
    verifiedSince: run?.plannedAt ?? run?.startedAt ?? run?.createdAt ?? new Date(),
    health: { consecutiveFailures: 0 },
  };
}
