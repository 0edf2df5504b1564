/**
 * The console's changes each leave their audit entry: SCIM Export profiles (configuration, the
 * token replaced, mapping, groups, sync) and authentication profiles (created, re-imported,
 * changed, assigned, removed, deleted) and SCIM Import's custom user attributes, through the tRPC
 * router as the console calls it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDatabricksEmulator, type DatabricksEmulator } from "@/testing/databricks-emulator";
import { TestSamlIdp } from "../../testing/idp/saml-idp";
import { unique } from "../../testing/factories/directory";
import { newOwner } from "../../testing/factories/trpc";
import { createGroup } from "../directory";
import { closeJackson } from "../sso/jackson";

const TOKEN = "dapi-audit-test-token-9876";
let emulator: DatabricksEmulator;
beforeAll(async () => {
  emulator = await startDatabricksEmulator({ token: TOKEN });
});
afterAll(async () => {
  await emulator.stop();
  await closeJackson();
});

async function actionsOf(owner: Awaited<ReturnType<typeof newOwner>>) {
  const { items } = await owner.caller.audit.list({ tenantSlug: owner.slug, pageSize: 100 });
  return items.reverse();
}

describe("audit coverage", () => {
  it("records an export profile's life, with the token redacted", async () => {
    const owner = await newOwner();
    const tenantSlug = owner.slug;
    const group = await createGroup({ tenantId: owner.tenantId, source: "CONSOLE", fields: { displayName: unique("Data") } });
    const { id: profileId } = await owner.caller.scimExport.create({ tenantSlug, name: "Databricks", description: "", type: "DATABRICKS" });
    const configuration = {
      baseUrl: emulator.workspaceUrl,
      token: TOKEN,
      scheduleMinutes: 40,
      leaveAction: "DEACTIVATE" as const,
      deletionThreshold: 50,
      enabled: true,
      matchOrder: ["userName" as const, "externalId" as const],
      requestsPerSecond: null,
      concurrency: 4,
    };
    await owner.caller.scimExport.saveConfiguration({ tenantSlug, profileId, ...configuration });
    await owner.caller.scimExport.saveConfiguration({ tenantSlug, profileId, ...configuration, token: "", deletionThreshold: 7 });
    await owner.caller.scimExport.setGroups({ tenantSlug, profileId, groupIds: [group.id] });
    await owner.caller.scimExport.resetMapping({ tenantSlug, profileId });
    await owner.caller.scimExport.sync({ tenantSlug, profileId });
    await owner.caller.scimExport.update({ tenantSlug, profileId, name: "Databricks EU", description: "eu" });
    await owner.caller.scimExport.delete({ tenantSlug, profileId });

    const entries = await actionsOf(owner);
    expect(entries.map((e) => e.action)).toEqual([
      "export_profile.created",
      "export_profile.configured",
      "export_profile.token_replaced",
      "export_profile.configured",
      "export_profile.groups_changed",
      "export_profile.mapping_reset",
      "export_profile.sync_requested",
      "export_profile.updated",
      "export_profile.deleted",
    ]);
    expect(entries[3]).toMatchObject({ before: { deletionThreshold: 50 }, after: { deletionThreshold: 7 } });
    expect(entries[2]).toMatchObject({ after: { tokenLast4: "9876" } });
    expect(entries[4]).toMatchObject({ before: { groups: [] }, after: { groups: [group.displayName] } });
    expect(entries.every((e) => e.actorLabel === owner.email && e.targetId === profileId)).toBe(true);
    expect(JSON.stringify(entries)).not.toContain(TOKEN);
  });

  it("records an authentication profile's life", async () => {
    const owner = await newOwner();
    const tenantSlug = owner.slug;
    const entityId = `https://${unique("idp")}.example.com/saml`;
    const { profile } = await owner.caller.sso.createSaml({
      tenantSlug,
      name: "Okta",
      source: { metadataXml: new TestSamlIdp({ entityId, key: "idp-a" }).metadata() },
    });
    await owner.caller.sso.replaceMetadata({
      tenantSlug,
      profileId: profile.id,
      source: { metadataXml: new TestSamlIdp({ entityId, key: "idp-b" }).metadata() },
    });
    await owner.caller.sso.update({ tenantSlug, profileId: profile.id, priority: 5 });
    const group = await createGroup({ tenantId: owner.tenantId, source: "CONSOLE", fields: { displayName: unique("Staff") } });
    await owner.caller.sso.setGroupProfile({ tenantSlug, groupId: group.id, profileId: profile.id });
    await owner.caller.sso.setGroupProfile({ tenantSlug, groupId: group.id, profileId: null });
    await owner.caller.sso.delete({ tenantSlug, profileId: profile.id });

    const entries = await actionsOf(owner);
    expect(entries.map((e) => e.action)).toEqual([
      "auth_profile.created",
      "auth_profile.metadata_reimported",
      "auth_profile.updated",
      "auth_profile.assigned",
      "auth_profile.unassigned",
      "auth_profile.deleted",
    ]);
    expect(entries[2]).toMatchObject({ before: { priority: 100 }, after: { priority: 5 } });
    expect(entries[3]).toMatchObject({ targetName: group.displayName, before: { profile: null }, after: { profile: "Okta" } });
  });

  it("records the SCIM Import custom attributes declared, removed and the undeclared policy, and not a refused declaration", async () => {
    const owner = await newOwner();
    const tenantSlug = owner.slug;
    const urn = "urn:ietf:params:scim:schemas:extension:acme:2.0:User";
    const attribute = { name: "costCenter", type: "string" as const, description: "" };
    await owner.caller.scimImport.declareUserExtensionAttribute({ tenantSlug, urn, attribute });
    await expect(owner.caller.scimImport.declareUserExtensionAttribute({ tenantSlug, urn, attribute })).rejects.toThrow(/already declared/);
    await owner.caller.scimImport.setUndeclaredUserExtensions({ tenantSlug, undeclared: "refuse" });
    await owner.caller.scimImport.removeUserExtensionAttribute({ tenantSlug, urn, name: "costCenter" });

    const entries = await actionsOf(owner);
    expect(entries.map((e) => e.action)).toEqual([
      "scim_import.user_extensions_changed",
      "scim_import.user_extensions_changed",
      "scim_import.user_extensions_changed",
    ]);
    expect(entries[0]).toMatchObject({
      before: { extensions: [] },
      after: { extensions: [{ urn, attributes: [{ name: "costCenter" }] }] },
    });
    expect(entries[1]).toMatchObject({ before: { undeclared: "accept" }, after: { undeclared: "refuse" } });
    expect(entries[2]).toMatchObject({ after: { extensions: [] } });
    expect(entries.every((e) => e.actorLabel === owner.email)).toBe(true);
  });
});
