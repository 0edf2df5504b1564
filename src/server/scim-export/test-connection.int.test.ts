/**
 * Issue 14, item 4: a kept "Connection succeeded" is about the saved Tenant URL and Secret Token
 * only, and is gone as soon as either changes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDatabricksEmulator, type DatabricksEmulator } from "@/testing/databricks-emulator";
import { newConfiguredProfile, newTenant } from "../../testing/factories/scim-export";
import { getExportProfile, testExportConnection, updateExportConfiguration } from "./index";

let emulator: DatabricksEmulator;
beforeAll(async () => {
  emulator = await startDatabricksEmulator();
});
afterAll(() => emulator.stop());

const configuration = (baseUrl: string, token: string) => ({
  baseUrl,
  token,
  scheduleMinutes: 40,
  leaveAction: "DEACTIVATE" as const,
  deletionThreshold: 50,
  enabled: true,
  matchOrder: ["userName" as const, "externalId" as const],
  requestsPerSecond: null,
  concurrency: 4,
});

describe("the kept Test Connection result", () => {
  it("is kept for the saved URL and token only, and dropped when either is saved anew", async () => {
    const tenant = await newTenant();
    const profileId = await newConfiguredProfile(tenant.id, emulator);
    const lastConnection = async () => (await getExportProfile({ tenantId: tenant.id, profileId })).lastConnection;
    expect(await lastConnection()).toBeNull();

    // The saved URL and token (empty token field: the stored one) → kept.
    expect(await testExportConnection({ tenantId: tenant.id, profileId })).toMatchObject({ ok: true });
    expect(await lastConnection()).toMatchObject({ ok: true, kind: "OK" });
    // The saved token typed again is the same test.
    expect(await testExportConnection({ tenantId: tenant.id, profileId, input: { token: emulator.token } })).toMatchObject({ ok: true });
    expect(await lastConnection()).toMatchObject({ ok: true });

    // Unsaved values: answered, never kept (the kept result still speaks of the saved ones).
    expect(await testExportConnection({ tenantId: tenant.id, profileId, input: { token: "dapi-typed-not-saved" } })).toMatchObject({
      ok: false,
      kind: "UNAUTHORIZED",
    });
    expect(await testExportConnection({ tenantId: tenant.id, profileId, input: { baseUrl: emulator.accountUrl("2.0") } })).toMatchObject({
      ok: true,
    });
    const kept = await lastConnection();
    expect(kept).toMatchObject({ ok: true, kind: "OK" });
    expect(kept!.detail).toMatch(/workspace/);

    // A new token saved (even the same one): the old result no longer claims anything.
    await updateExportConfiguration({ tenantId: tenant.id, profileId, input: configuration(emulator.workspaceUrl, emulator.token) });
    expect(await lastConnection()).toBeNull();

    // A new URL saved (same host, the stored token kept): dropped too.
    await testExportConnection({ tenantId: tenant.id, profileId });
    expect(await lastConnection()).toMatchObject({ ok: true });
    await updateExportConfiguration({ tenantId: tenant.id, profileId, input: configuration(emulator.accountUrl("2.0"), "") });
    expect(await lastConnection()).toBeNull();
  });
});
