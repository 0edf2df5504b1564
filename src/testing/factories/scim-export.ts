/** Factories for SCIM Export integration tests: unique rows per call, a profile wired to an emulator. */
import { db } from "../../server/db";
import { addGroupMembers, createGroup } from "../../server/directory";
import { newTenant, newUser, unique } from "./directory";
import type { DatabricksEmulator } from "@/testing/databricks-emulator";
import type { ClientRetries } from "../../server/scim-export/client/scim-client";
import { inlineSteps, runExportSync } from "../../server/scim-export/engine/sync";
import { createExportProfile, updateExportConfiguration } from "../../server/scim-export/profiles";
import { setExportAssignedGroups } from "../../server/scim-export/assigned-groups";
import { requestExportSync } from "../../server/scim-export/sync-request";

export { newTenant, newUser, unique };

/** The SCIM client's retries for tests, passed to the engine as an option (no timed assertions; just less waiting). */
export const FAST_RETRIES: ClientRetries = { backoffBaseMs: 5, backoffCapMs: 50, timeoutMs: 3000, maxAttempts: 6 };

export async function newGroupWithUsers(tenantId: string, count: number, name = unique("Data")) {
  const users = [];
  for (let i = 0; i < count; i++) users.push(await newUser(tenantId, { givenName: `Given${i}`, familyName: `Family${i}` }));
  const group = await createGroup({ tenantId, source: "CONSOLE", fields: { displayName: name } });
  if (users.length) await addGroupMembers({ tenantId, groupId: group.id, source: "CONSOLE", userIds: users.map((u) => u.id) });
  return { group, users };
}

export async function newConfiguredProfile(
  tenantId: string,
  emulator: DatabricksEmulator | null,
  options: {
    type?: "DATABRICKS" | "SCIM";
    baseUrl?: string;
    token?: string;
    groupIds?: string[];
    leaveAction?: "DEACTIVATE" | "DELETE";
    deletionThreshold?: number;
    concurrency?: number;
  } = {},
) {
  const { id } = await createExportProfile({
    tenantId,
    input: { name: unique("Databricks"), description: "", type: options.type ?? "DATABRICKS" },
  });
  await updateExportConfiguration({
    tenantId,
    profileId: id,
    input: {
      baseUrl: options.baseUrl ?? emulator!.workspaceUrl,
      token: options.token ?? emulator!.token,
      scheduleMinutes: 40,
      leaveAction: options.leaveAction ?? "DEACTIVATE",
      deletionThreshold: options.deletionThreshold ?? 50,
      enabled: true,
      matchOrder: ["userName", "externalId"],
      requestsPerSecond: null,
      concurrency: options.concurrency ?? 4,
    },
  });
  if (options.groupIds) await setExportAssignedGroups({ tenantId, profileId: id, groupIds: options.groupIds });
  return id;
}

/** Queues a run and executes it right here (no job runner), returning the run row. */
export async function syncNow(tenantId: string, profileId: string) {
  const { runId } = await requestExportSync({ tenantId, profileId, trigger: "MANUAL" });
  await runExportSync({ tenantId, profileId, runId }, inlineSteps, { retries: FAST_RETRIES });
  return db().exportRun.findUniqueOrThrow({ where: { id: runId } });
}
