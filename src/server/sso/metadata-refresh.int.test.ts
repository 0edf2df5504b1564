/**
 * The daily re-read of IdP metadata URLs: a metadata server in the test serves samlify IdP metadata
 * whose certificate the test rotates (keys in src/testing/idp/keys); a real Jackson verifies the
 * sign-ins before and after.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestSamlIdp } from "../../testing/idp/saml-idp";
import { newTenant, newUser, unique } from "../../testing/factories/directory";
import { db } from "../db";
import { addGroupMembers, createGroup } from "../directory";
import { closeJackson, jackson } from "./jackson";
import { METADATA_REFRESH_MS, refreshDueMetadata } from "./metadata-refresh";
import { listProfileEvents } from "./profile-events";
import { createSamlProfile, setGroupAuthProfile, spMetadataForSlug } from "./profiles";
import { completeSignIn, handleAcs, startPortalSignIn } from "./sign-in";

/** What the metadata server answers, by path: the test changes it. */
const served = new Map<string, { status: number; body: string }>();
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const answer = served.get(req.url ?? "") ?? { status: 404, body: "not found" };
    res.writeHead(answer.status, { "content-type": "application/samlmetadata+xml" }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await jackson(); // starting Jackson takes seconds; not in a test's time
}, 60_000);

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await closeJackson();
});

/** A profile made from a metadata URL whose IdP signs with idp-a, read a day and a minute ago. */
async function profileFromUrl() {
  const tenant = await newTenant();
  const entityId = `https://${unique("okta")}.example.com/saml`;
  const path = `/${unique("app")}/metadata`;
  const signingWithA = new TestSamlIdp({ entityId, key: "idp-a" });
  served.set(path, { status: 200, body: signingWithA.metadata() });
  const profile = await createSamlProfile({ tenantId: tenant.id, name: "Okta", metadataUrl: `${base}${path}` });
  const group = await createGroup({ tenantId: tenant.id, source: "CONSOLE", fields: { displayName: "Staff" } });
  await setGroupAuthProfile({ tenantId: tenant.id, groupId: group.id, profileId: profile.id });
  const email = `${unique("ada")}@example.com`;
  const user = await newUser(tenant.id, { userName: email });
  await addGroupMembers({ tenantId: tenant.id, groupId: group.id, userIds: [user.id], source: "CONSOLE" });
  await makeDue(profile.id);
  return { tenant, entityId, path, profile, email };
}

async function makeDue(profileId: string) {
  await db().authenticationProfile.update({
    where: { id: profileId },
    data: { metadataCheckedAt: new Date(Date.now() - METADATA_REFRESH_MS - 60_000) },
  });
}

/** A full SP-initiated sign-in with `idp` signing; the outcome of the ACS and the callback. */
async function signIn(s: Awaited<ReturnType<typeof profileFromUrl>>, idp: TestSamlIdp) {
  const spXml = (await spMetadataForSlug(s.tenant.slug)).xml;
  const started = await startPortalSignIn({ slug: s.tenant.slug, email: s.email });
  if (started.kind !== "redirect") throw new Error(JSON.stringify(started));
  const request = await idp.parseRequest(spXml, started.url);
  const response = await idp.response({ spMetadataXml: spXml, requestId: request.id, user: { email: s.email } });
  const acs = await handleAcs({ slug: s.tenant.slug, SAMLResponse: response, RelayState: request.relayState });
  if (acs.kind !== "redirect") return acs;
  return completeSignIn({ query: new URL(acs.url).searchParams, stateToken: started.stateToken });
}

describe("daily IdP metadata refresh", () => {
  let s: Awaited<ReturnType<typeof profileFromUrl>>;
  beforeAll(async () => {
    s = await profileFromUrl();
    // The original key signs in (and the IdP library's first, slow, load is not in a test's time).
    expect(await signIn(s, new TestSamlIdp({ entityId: s.entityId, key: "idp-a" }))).toMatchObject({ kind: "signed-in" });
  }, 90_000);

  it("takes in a rotated certificate with an event on the profile; sign-ins follow the new key", async () => {
    const rotated = new TestSamlIdp({ entityId: s.entityId, key: "idp-b" });
    // Before the refresh, the new key is an unknown certificate (and Sign-ins says so).
    expect(await signIn(s, rotated)).toMatchObject({ kind: "refused", reason: "unknown_certificate" });

    served.set(s.path, { status: 200, body: rotated.metadata() });
    const counts = await refreshDueMetadata();
    expect(counts.certificate_changed).toBeGreaterThanOrEqual(1);
    const [event] = await listProfileEvents({ tenantId: s.tenant.id, profileId: s.profile.id });
    expect(event).toMatchObject({ kind: "certificate_changed", message: expect.stringMatching(/Now trusted: .*SHA-256 [0-9A-F:]+/) });
    expect(event!.message).toMatch(/No longer trusted/);

    expect(await signIn(s, rotated)).toMatchObject({ kind: "signed-in" });
    expect(await signIn(s, new TestSamlIdp({ entityId: s.entityId, key: "idp-a" }))).toMatchObject({
      kind: "refused",
      reason: "unknown_certificate",
    });

    const after = await db().authenticationProfile.findUniqueOrThrow({ where: { id: s.profile.id } });
    expect(after.metadataCheckedAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    // Read today: the next tick leaves it alone.
    served.set(s.path, { status: 500, body: "" });
    await refreshDueMetadata();
    expect(await listProfileEvents({ tenantId: s.tenant.id, profileId: s.profile.id })).toHaveLength(1);
  });

  it("changes nothing when the metadata is the same, and records a failure without touching the profile", async () => {
    const s = await profileFromUrl();
    await refreshDueMetadata();
    expect(await listProfileEvents({ tenantId: s.tenant.id, profileId: s.profile.id })).toEqual([]);

    await makeDue(s.profile.id);
    served.set(s.path, { status: 503, body: "" });
    await refreshDueMetadata();
    const [failed] = await listProfileEvents({ tenantId: s.tenant.id, profileId: s.profile.id });
    expect(failed).toMatchObject({ kind: "refresh_failed", message: expect.stringMatching(/HTTP 503/) });
    expect(await signIn(s, new TestSamlIdp({ entityId: s.entityId, key: "idp-a" }))).toMatchObject({ kind: "signed-in" });

    // Another IdP at the same URL is not taken in by itself.
    await makeDue(s.profile.id);
    served.set(s.path, { status: 200, body: new TestSamlIdp({ entityId: "https://elsewhere.example.com/saml", key: "idp-b" }).metadata() });
    await refreshDueMetadata();
    const [other] = await listProfileEvents({ tenantId: s.tenant.id, profileId: s.profile.id });
    expect(other).toMatchObject({ kind: "refresh_failed", message: expect.stringMatching(/another identity provider/) });
    expect(await db().authenticationProfile.findUniqueOrThrow({ where: { id: s.profile.id } })).toMatchObject({ idpEntityId: s.entityId });
  });

  it("goes through the URL guard: a private address is refused when private targets are not allowed", async () => {
    const { fetchIdpMetadata } = await import("./fetch-metadata");
    await expect(fetchIdpMetadata(`${base}/x`, { allowPrivate: false })).rejects.toThrow(/private or local|https/);
  });
});
