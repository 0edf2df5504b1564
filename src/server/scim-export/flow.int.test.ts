import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startDatabricksEmulator, type DatabricksEmulator } from "@/testing/databricks-emulator";
import { AppError } from "../errors";
import { db } from "../db";
import { newConfiguredProfile, newGroupWithUsers, newTenant, syncNow } from "../../testing/factories/scim-export";
import {
  createExportProfile,
  getExportProfile,
  listExportOperations,
  listExportProfiles,
  listExportRuns,
  previewExportMapping,
  provisionUserOnDemand,
  releaseExportQuarantine,
  testExportConnection,
  updateExportConfiguration,
  updateExportMapping,
  getExportMapping,
} from "./index";

let emulator: DatabricksEmulator;
beforeAll(async () => {
  emulator = await startDatabricksEmulator();
});
afterAll(() => emulator.stop());

const config = (baseUrl: string, token: string) => ({
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

describe("the admin flow through the services", () => {
  it("creates, configures (token encrypted, never returned), tests the connection, maps, previews, provisions on demand", async () => {
    const tenant = await newTenant();
    const { id } = await createExportProfile({
      tenantId: tenant.id,
      input: { name: "Databricks prod", description: "Workspace", type: "DATABRICKS" },
    });
    await expect(
      createExportProfile({ tenantId: tenant.id, input: { name: "databricks PROD", description: "", type: "DATABRICKS" } }),
    ).rejects.toMatchObject({ code: "CONFLICT", field: "name" });
    expect((await listExportProfiles({ tenantId: tenant.id }))[0]).toMatchObject({ id, status: "NOT_CONFIGURED" });

    await updateExportConfiguration({ tenantId: tenant.id, profileId: id, input: config(emulator.workspaceUrl, emulator.token) });
    const stored = await db().exportProfile.findUniqueOrThrow({ where: { id } });
    expect(stored.tokenCiphertext).not.toContain(emulator.token);
    const detail = await getExportProfile({ tenantId: tenant.id, profileId: id });
    expect(JSON.stringify(detail)).not.toContain(emulator.token);
    expect(detail.configuration).toMatchObject({ tokenSet: true, tokenMasked: `••••${emulator.token.slice(-4)}` });

    expect(await testExportConnection({ tenantId: tenant.id, profileId: id })).toMatchObject({ ok: true, kind: "OK" });
    expect(await testExportConnection({ tenantId: tenant.id, profileId: id, input: { token: "wrong-token" } })).toMatchObject({
      ok: false,
      kind: "UNAUTHORIZED",
      httpStatus: 401,
    });
    expect(
      await testExportConnection({ tenantId: tenant.id, profileId: id, input: { baseUrl: `${emulator.origin}/api/2.0/nothing/here` } }),
    ).toMatchObject({ ok: false, kind: "NOT_FOUND" });
    expect(
      await testExportConnection({
        tenantId: tenant.id,
        profileId: id,
        input: { baseUrl: "http://127.0.0.1:1/scim/v2", token: "t0ken-for-another-host" },
      }),
    ).toMatchObject({ ok: false, kind: "UNREACHABLE" });
    expect(await testExportConnection({ tenantId: tenant.id, profileId: id, input: { baseUrl: `${emulator.origin}/` } })).toMatchObject({
      ok: false,
      kind: "NOT_FOUND",
    });

    const mapping = await getExportMapping({ tenantId: tenant.id, profileId: id });
    const user = [
      ...mapping.user,
      {
        target: "title",
        kind: "expression" as const,
        value: 'ToUpper(Coalesce([title], "staff"))',
        apply: "always" as const,
        defaultValue: "",
      },
    ];
    await expect(
      updateExportMapping({
        tenantId: tenant.id,
        profileId: id,
        input: { user: [...user, { target: "nickName", kind: "expression", value: "ToLower([nope])", apply: "always", defaultValue: "" }] },
      }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      field: `user.${user.length}.value`,
    });
    await updateExportMapping({ tenantId: tenant.id, profileId: id, input: { user } });

    const { group, users } = await newGroupWithUsers(tenant.id, 2);
    const preview = await previewExportMapping({ tenantId: tenant.id, profileId: id, userId: users[0]!.id });
    expect(preview.createBody).toMatchObject({
      userName: users[0]!.userName.toLowerCase(),
      title: "STAFF",
      emails: [{ value: users[0]!.userName.toLowerCase(), type: "work", primary: true }],
    });
    expect(preview.inScope).toBe(false);
    const unsaved = await previewExportMapping({
      tenantId: tenant.id,
      profileId: id,
      object: "user",
      mapping: [...user, { target: "nickName", kind: "expression", value: "Left([email]", apply: "always", defaultValue: "" }],
    });
    expect(unsaved.problems).toEqual([expect.objectContaining({ index: user.length, position: 12 })]);
    const groupPreview = await previewExportMapping({ tenantId: tenant.id, profileId: id, groupId: group.id });
    expect(groupPreview.createBody).toEqual({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: group.displayName });
    expect((await getExportProfile({ tenantId: tenant.id, profileId: id })).configuration.tokenSetAt).toBeInstanceOf(Date);

    const notInScope = await provisionUserOnDemand({ tenantId: tenant.id, profileId: id, userId: users[0]!.id });
    expect(notInScope.outcome).toBe("skipped");
    expect(emulator.userByName(users[0]!.userName)).toBeUndefined();

    const { setExportAssignedGroups } = await import("./index");
    await setExportAssignedGroups({ tenantId: tenant.id, profileId: id, groupIds: [group.id] });
    const pod = await provisionUserOnDemand({ tenantId: tenant.id, profileId: id, userId: users[0]!.id });
    expect(pod.outcome).toBe("created");
    expect(pod.steps.map((s) => s.step)).toEqual(["load", "scope", "map", "match", "action", "groups"]);
    expect(emulator.userByName(users[0]!.userName)).toBeDefined();
    expect(emulator.groupByName(group.displayName)!.members).toEqual([emulator.userByName(users[0]!.userName)!.id]);

    const run = await syncNow(tenant.id, id);
    expect(run.status).toBe("SUCCEEDED");
    expect(emulator.users().filter((u) => users.some((x) => x.userName.toLowerCase() === u.userName))).toHaveLength(2);
    const runs = await listExportRuns({ tenantId: tenant.id, profileId: id });
    expect(runs.items.map((r) => r.trigger)).toEqual(["MANUAL", "ON_DEMAND", "ON_DEMAND"]);
    const ops = await listExportOperations({ tenantId: tenant.id, profileId: id, filters: { action: "created" } });
    expect(ops.items.some((o) => o.objectType === "GROUP")).toBe(true);
    expect(JSON.stringify(ops.items)).not.toContain(emulator.token);
  });

  it("refuses private targets unless allowed (URL guard on save)", async () => {
    const tenant = await newTenant();
    const { id } = await createExportProfile({ tenantId: tenant.id, input: { name: "x", description: "", type: "SCIM" } });
    vi.stubEnv("ALLOW_PRIVATE_TARGETS", "false");
    try {
      await expect(
        updateExportConfiguration({ tenantId: tenant.id, profileId: id, input: config("https://169.254.169.254/scim", "t0ken-value") }),
      ).rejects.toMatchObject({ code: "BAD_REQUEST", field: "baseUrl" });
      await expect(
        updateExportConfiguration({ tenantId: tenant.id, profileId: id, input: config("http://example.com/scim", "t0ken-value") }),
      ).rejects.toBeInstanceOf(AppError);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("quarantines a profile whose runs keep failing with a bad token, and lifts it when released", async () => {
    const tenant = await newTenant();
    const { group } = await newGroupWithUsers(tenant.id, 1);
    const id = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id], token: "revoked-token" });
    for (let i = 0; i < 3; i++) expect((await syncNow(tenant.id, id)).status).toBe("FAILED");
    const detail = await getExportProfile({ tenantId: tenant.id, profileId: id });
    expect(detail.status).toBe("QUARANTINED");
    expect(detail.quarantine?.reason).toMatch(/401/);
    expect(detail.quarantine!.until.getTime()).toBeGreaterThan(Date.now());
    await releaseExportQuarantine({ tenantId: tenant.id, profileId: id });
    expect((await getExportProfile({ tenantId: tenant.id, profileId: id })).quarantine).toBeNull();
  });

  it("keeps tenants apart: another tenant's profile, run and user are not found", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const { group, users } = await newGroupWithUsers(a.id, 1);
    const id = await newConfiguredProfile(a.id, emulator, { groupIds: [group.id] });
    const run = await syncNow(a.id, id);
    await expect(getExportProfile({ tenantId: b.id, profileId: id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(listExportOperations({ tenantId: b.id, profileId: id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const { getExportRun, setExportAssignedGroups } = await import("./index");
    await expect(getExportRun({ tenantId: b.id, runId: run.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const idB = await newConfiguredProfile(b.id, emulator);
    await expect(setExportAssignedGroups({ tenantId: b.id, profileId: idB, groupIds: [group.id] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(previewExportMapping({ tenantId: b.id, profileId: idB, userId: users[0]!.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await listExportProfiles({ tenantId: b.id })).toHaveLength(1);
  });
});
