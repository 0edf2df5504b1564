/**
 * Issue 13, item 7: the stored SCIM Export token goes only to the origin it was saved for. A new
 * Tenant URL on another origin (scheme, host or port) needs the Secret Token typed again, for Test
 * Connection and for Save; a new path on the same origin keeps the stored token. Two Databricks
 * emulators on two ports accept the same token: the second must never see a request carrying the
 * stored one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sameOrigin } from "@/lib/url-origin";
import { db } from "@/server/db";
import { newOwner } from "@/testing/factories/trpc";
import { startDatabricksEmulator, type DatabricksEmulator } from "@/testing/databricks-emulator";

const TOKEN = "dapi-origin-test-token-5678";
const ANOTHER_HOST = /Enter the Secret Token again: the Tenant URL points at another host/;

let saved: DatabricksEmulator;
let elsewhere: DatabricksEmulator;
beforeAll(async () => {
  [saved, elsewhere] = await Promise.all([startDatabricksEmulator({ token: TOKEN }), startDatabricksEmulator({ token: TOKEN })]);
});
afterAll(() => Promise.all([saved.stop(), elsewhere.stop()]));

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

/** A profile saved with the first emulator's URL and the token. */
async function savedProfile() {
  const owner = await newOwner();
  const tenantSlug = owner.slug;
  const { id: profileId } = await owner.caller.scimExport.create({ tenantSlug, name: "Databricks", description: "", type: "DATABRICKS" });
  await owner.caller.scimExport.saveConfiguration({ tenantSlug, profileId, ...configuration(saved.workspaceUrl, TOKEN) });
  elsewhere.requests.length = 0;
  return { caller: owner.caller, tenantSlug, profileId };
}

const storedBaseUrl = async (profileId: string) =>
  (await db().exportProfile.findUniqueOrThrow({ where: { id: profileId }, select: { baseUrl: true } })).baseUrl;

describe("the stored export token and a Tenant URL on another origin", () => {
  it("Test Connection with another host's URL and no token is refused on the token field; that host is never called", async () => {
    const { caller, tenantSlug, profileId } = await savedProfile();
    await expect(caller.scimExport.testConnection({ tenantSlug, profileId, baseUrl: elsewhere.workspaceUrl })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(ANOTHER_HOST),
      cause: { field: "token" },
    });
    await expect(
      caller.scimExport.testConnection({ tenantSlug, profileId, baseUrl: elsewhere.workspaceUrl, token: "" }),
    ).rejects.toMatchObject({ cause: { field: "token" } });
    expect(elsewhere.requests).toEqual([]);
  });

  it("Save with another host's URL and no token is refused on the token field and changes nothing", async () => {
    const { caller, tenantSlug, profileId } = await savedProfile();
    await expect(
      caller.scimExport.saveConfiguration({ tenantSlug, profileId, ...configuration(elsewhere.workspaceUrl, "") }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(ANOTHER_HOST),
      cause: { field: "token" },
    });
    expect(await storedBaseUrl(profileId)).toBe(saved.workspaceUrl);
    // Nothing was saved, so a sync still goes to the saved target only.
    await expect(caller.scimExport.testConnection({ tenantSlug, profileId })).resolves.toMatchObject({ ok: true });
    expect(elsewhere.requests).toEqual([]);
  });

  it("another scheme or host (even one naming the same machine) is another origin", async () => {
    const { caller, tenantSlug, profileId } = await savedProfile();
    const sameMachine = saved.workspaceUrl.replace("127.0.0.1", "localhost");
    await expect(caller.scimExport.testConnection({ tenantSlug, profileId, baseUrl: sameMachine })).rejects.toMatchObject({
      cause: { field: "token" },
    });
    await expect(
      caller.scimExport.saveConfiguration({ tenantSlug, profileId, ...configuration(saved.workspaceUrl.replace("http:", "https:"), "") }),
    ).rejects.toMatchObject({
      cause: { field: "token" },
    });
    expect(saved.requests.filter((r) => r.path.startsWith("/api/2.0/accounts"))).toEqual([]);
  });

  it("a new path on the same origin, written differently, keeps the stored token", async () => {
    const { caller, tenantSlug, profileId } = await savedProfile();
    const accountUrl = saved.accountUrl("2.0").replace("http://", "HTTP://");
    await expect(caller.scimExport.testConnection({ tenantSlug, profileId, baseUrl: accountUrl })).resolves.toMatchObject({
      ok: true,
      kind: "OK",
    });
    await caller.scimExport.saveConfiguration({ tenantSlug, profileId, ...configuration(accountUrl, "") });
    expect(await storedBaseUrl(profileId)).toBe(accountUrl);
    await expect(caller.scimExport.testConnection({ tenantSlug, profileId })).resolves.toMatchObject({ ok: true, kind: "OK" });
  });

  it("with the token typed again, the new host is tested and saved", async () => {
    const { caller, tenantSlug, profileId } = await savedProfile();
    await expect(
      caller.scimExport.testConnection({ tenantSlug, profileId, baseUrl: elsewhere.workspaceUrl, token: TOKEN }),
    ).resolves.toMatchObject({ ok: true });
    await caller.scimExport.saveConfiguration({ tenantSlug, profileId, ...configuration(elsewhere.workspaceUrl, TOKEN) });
    expect(await storedBaseUrl(profileId)).toBe(elsewhere.workspaceUrl);
    // Now the stored token belongs to the new host, and the old host needs it typed again.
    await expect(caller.scimExport.testConnection({ tenantSlug, profileId })).resolves.toMatchObject({ ok: true });
    await expect(caller.scimExport.testConnection({ tenantSlug, profileId, baseUrl: saved.workspaceUrl })).rejects.toMatchObject({
      cause: { field: "token" },
    });
  });
});

describe("origin comparison", () => {
  it.each([
    ["HTTPS://Host:443/x", "https://host/y", true],
    ["https://host./scim", "https://host/scim", false],
    ["https://host:8443/scim", "https://host/scim", false],
    ["http://host/scim", "https://host/scim", false],
    ["https://a.host/scim", "https://b.host/scim", false],
    ["https://xn--bcher-kva.example/scim", "https://BÜCHER.example/v2", true],
    ["https://[::1]:443/x", "https://[0:0:0:0:0:0:0:1]/y", true],
    ["not a url", "not a url", false],
  ])("%s and %s: same origin %s", (a, b, same) => {
    expect(sameOrigin(a, b)).toBe(same);
  });
});
