import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDatabricksEmulator, type DatabricksEmulator } from "@/testing/databricks-emulator";
import { newMemberOf, newOwner } from "../../../testing/factories/trpc";

/**
 * The scimExport router as the console calls it: roles (viewers read, never change), tenant
 * boundaries (another tenant's profile is "not found"), the write-only Secret Token, and the
 * shapes the pages rely on. The engine's behaviour itself is tested beside the services.
 */

const TOKEN = "dapi-router-test-token-1234";
let emulator: DatabricksEmulator;
beforeAll(async () => {
  emulator = await startDatabricksEmulator({ token: TOKEN });
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

describe("scimExport router", () => {
  it("creates and configures a profile; the Secret Token is write-only and never comes back", async () => {
    const owner = await newOwner();
    const tenantSlug = owner.slug;
    const { id: profileId } = await owner.caller.scimExport.create({
      tenantSlug,
      name: "Databricks",
      description: "Analytics",
      type: "DATABRICKS",
    });
    await expect(owner.caller.scimExport.create({ tenantSlug, name: "databricks", description: "", type: "SCIM" })).rejects.toMatchObject({
      code: "CONFLICT",
      cause: { field: "name" },
    });
    expect(await owner.caller.scimExport.list({ tenantSlug })).toMatchObject([
      { id: profileId, name: "Databricks", type: "DATABRICKS", status: "NOT_CONFIGURED" },
    ]);

    await owner.caller.scimExport.saveConfiguration({ tenantSlug, profileId, ...configuration(emulator.workspaceUrl, TOKEN) });
    const profile = await owner.caller.scimExport.get({ tenantSlug, profileId });
    expect(profile.configuration).toMatchObject({ baseUrl: emulator.workspaceUrl, tokenSet: true });
    expect(profile.configuration.tokenMasked).toContain("1234");
    expect(JSON.stringify(profile)).not.toContain(TOKEN);
    expect(JSON.stringify(await owner.caller.scimExport.list({ tenantSlug }))).not.toContain(TOKEN);

    // An empty token keeps the stored one: Test Connection still succeeds with it.
    await owner.caller.scimExport.saveConfiguration({
      tenantSlug,
      profileId,
      ...configuration(emulator.workspaceUrl, ""),
      deletionThreshold: 7,
    });
    expect((await owner.caller.scimExport.get({ tenantSlug, profileId })).configuration).toMatchObject({
      tokenSet: true,
      deletionThreshold: 7,
    });
    await expect(owner.caller.scimExport.testConnection({ tenantSlug, profileId })).resolves.toMatchObject({ ok: true, kind: "OK" });
    // The form's unsaved values are what is tested: a wrong token reads as a refused token.
    const refused = await owner.caller.scimExport.testConnection({
      tenantSlug,
      profileId,
      baseUrl: emulator.workspaceUrl,
      token: "dapi-wrong",
    });
    expect(refused).toMatchObject({ ok: false, kind: "UNAUTHORIZED", httpStatus: 401 });
    expect(refused.message).toMatch(/401/);
    expect(JSON.stringify(refused)).not.toContain("dapi-wrong");
  });

  it("maps, previews, assigns groups and queues a sync; errors name the field", async () => {
    const owner = await newOwner();
    const tenantSlug = owner.slug;
    const { id: profileId } = await owner.caller.scimExport.create({ tenantSlug, name: "Target", description: "", type: "DATABRICKS" });
    await expect(owner.caller.scimExport.sync({ tenantSlug, profileId })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await owner.caller.scimExport.saveConfiguration({ tenantSlug, profileId, ...configuration(emulator.workspaceUrl, TOKEN) });

    const mapping = await owner.caller.scimExport.mapping({ tenantSlug, profileId });
    expect(mapping.user.map((r) => r.target)).toContain("userName");
    expect(mapping.group.map((r) => r.target)).toEqual(["displayName"]);
    const broken = [
      ...mapping.user,
      { target: "title", kind: "expression" as const, value: "ToUpper([familyName]", apply: "always" as const, defaultValue: "" },
    ];
    await expect(owner.caller.scimExport.saveMapping({ tenantSlug, profileId, user: broken })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      cause: { field: `user.${broken.length - 1}.value` },
    });

    const { id: userId } = await owner.caller.users.create({
      tenantSlug,
      userName: "Ada@Example.com",
      givenName: "Ada",
      familyName: "Lovelace",
      displayName: "",
      email: "Ada@Example.com",
      title: "",
      department: "",
      active: true,
    });
    const { id: groupId } = await owner.caller.groups.create({ tenantSlug, displayName: "Data" });
    await owner.caller.groups.addMembers({ tenantSlug, groupId, userIds: [userId] });

    const fixed = [
      ...mapping.user,
      { target: "title", kind: "expression" as const, value: 'Join(" ", "Dr", [familyName])', apply: "always" as const, defaultValue: "" },
    ];
    const before = await owner.caller.scimExport.previewMapping({ tenantSlug, profileId, userId, rows: fixed });
    expect(before).toMatchObject({ inScope: false, problems: [] });
    expect(before.createBody).toMatchObject({ userName: "ada@example.com", title: "Dr Lovelace" });
    await owner.caller.scimExport.saveMapping({ tenantSlug, profileId, user: fixed });

    await owner.caller.scimExport.setGroups({ tenantSlug, profileId, groupIds: [groupId], includeNestedGroups: false });
    expect(await owner.caller.scimExport.assignedGroups({ tenantSlug, profileId })).toMatchObject([
      { groupId, displayName: "Data", memberCount: 1 },
    ]);
    expect((await owner.caller.scimExport.previewMapping({ tenantSlug, profileId, userId })).inScope).toBe(true);

    const { runId } = await owner.caller.scimExport.sync({ tenantSlug, profileId, trigger: "MANUAL" });
    const again = await owner.caller.scimExport.sync({ tenantSlug, profileId, trigger: "ON_DEMAND" });
    expect(again).toMatchObject({ runId, alreadyQueued: true });
    const runs = await owner.caller.scimExport.runs({ tenantSlug, profileId });
    expect(runs).toMatchObject({ total: 1, items: [{ id: runId, trigger: "MANUAL" }] });
    await expect(owner.caller.scimExport.run({ tenantSlug, runId })).resolves.toMatchObject({ id: runId, profileId });
    await expect(owner.caller.scimExport.operations({ tenantSlug, profileId, runId })).resolves.toMatchObject({ items: [], total: 0 });
  });

  it("viewers read but cannot change anything, and another tenant's profile does not exist", async () => {
    const owner = await newOwner();
    const tenantSlug = owner.slug;
    const { id: profileId } = await owner.caller.scimExport.create({ tenantSlug, name: "Databricks", description: "", type: "DATABRICKS" });
    await owner.caller.scimExport.saveConfiguration({ tenantSlug, profileId, ...configuration(emulator.workspaceUrl, TOKEN) });

    const viewer = await newMemberOf(owner);
    await expect(viewer.scimExport.get({ tenantSlug, profileId })).resolves.toMatchObject({ id: profileId });
    await expect(viewer.scimExport.mapping({ tenantSlug, profileId })).resolves.toBeTruthy();
    const forbidden = { code: "FORBIDDEN" };
    await expect(viewer.scimExport.create({ tenantSlug, name: "Mine", description: "", type: "SCIM" })).rejects.toMatchObject(forbidden);
    await expect(
      viewer.scimExport.saveConfiguration({ tenantSlug, profileId, ...configuration("https://example.com/scim", "x") }),
    ).rejects.toMatchObject(forbidden);
    await expect(viewer.scimExport.testConnection({ tenantSlug, profileId })).rejects.toMatchObject(forbidden);
    await expect(viewer.scimExport.sync({ tenantSlug, profileId })).rejects.toMatchObject(forbidden);
    await expect(viewer.scimExport.setGroups({ tenantSlug, profileId, groupIds: [] })).rejects.toMatchObject(forbidden);
    await expect(viewer.scimExport.delete({ tenantSlug, profileId })).rejects.toMatchObject(forbidden);

    // Tenant B: its own slug with A's profile id is "not found"; A's slug is refused outright.
    const other = await newOwner();
    await expect(other.caller.scimExport.get({ tenantSlug: other.slug, profileId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(other.caller.scimExport.sync({ tenantSlug: other.slug, profileId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(other.caller.scimExport.runs({ tenantSlug: other.slug, profileId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(other.caller.scimExport.get({ tenantSlug, profileId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await other.caller.scimExport.list({ tenantSlug: other.slug })).toEqual([]);

    await owner.caller.scimExport.delete({ tenantSlug, profileId });
    await expect(owner.caller.scimExport.get({ tenantSlug, profileId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
