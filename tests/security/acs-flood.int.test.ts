/**
 * Issue 13, item 9: garbage posted to a tenant's ACS must not flood its Sign-ins log. A POST that
 * cannot be attributed to one of the tenant's identity providers (not base64, not XML, not a SAML
 * Response, an issuer none of its profiles trusts) still gets the refusal page, but is recorded at
 * most once per client address and kind per minute. A response naming an IdP the tenant trusts
 * that fails a check (audience, expiry, signature, replay…) is recorded every time, under its
 * profile: those are what admins need to see. An unknown organisation records nothing.
 */
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as acsRoute from "@/app/api/sso/[slug]/acs/route";
import * as startRoute from "@/app/api/sso/[slug]/start/route";
import { db } from "@/server/db";
import { addGroupMembers, createGroup } from "@/server/directory";
import { newTenant, newUser, unique } from "@/testing/factories/directory";
import { closeJackson } from "@/server/sso/jackson";
import { createSamlProfile, setGroupAuthProfile, spMetadataForSlug } from "@/server/sso/profiles";
import { RefusalLogThrottle } from "@/server/sso/sign-in-events";
import { encode, TestSamlIdp } from "../../src/testing/idp/saml-idp";

type Setup = { tenant: { id: string; slug: string }; idp: TestSamlIdp; spXml: string; profileId: string; email: string };

async function setupTenant(): Promise<Setup> {
  const tenant = await newTenant();
  const idp = new TestSamlIdp({ entityId: `https://${unique("idp")}.example.com/saml`, key: "idp-a" });
  const profile = await createSamlProfile({ tenantId: tenant.id, name: "Okta", metadataXml: idp.metadata() });
  const group = await createGroup({ tenantId: tenant.id, source: "CONSOLE", fields: { displayName: "Data" } });
  await setGroupAuthProfile({ tenantId: tenant.id, groupId: group.id, profileId: profile.id });
  const email = `${unique("ada")}@example.com`;
  const user = await newUser(tenant.id, { userName: email });
  await addGroupMembers({ tenantId: tenant.id, groupId: group.id, userIds: [user.id], source: "CONSOLE" });
  return { tenant, idp, spXml: (await spMetadataForSlug(tenant.slug)).xml, profileId: profile.id, email };
}

/** A portal sign-in started through the real route: the AuthnRequest's ID and RelayState. */
async function startSignIn(s: Setup) {
  const response = await startRoute.GET(
    new NextRequest(`http://localhost:3000/api/sso/${s.tenant.slug}/start?email=${encodeURIComponent(s.email)}`),
    { params: Promise.resolve({ slug: s.tenant.slug }) },
  );
  return s.idp.parseRequest(s.spXml, response.headers.get("location")!);
}

/** Posts to the ACS route as the product's server hands it over (the peer is the last X-Forwarded-For hop). */
async function postAcs(slug: string, SAMLResponse: string, address: string, RelayState = "") {
  const request = new NextRequest(`http://localhost:3000/api/sso/${slug}/acs`, {
    method: "POST",
    body: new URLSearchParams({ SAMLResponse, RelayState }),
    headers: { "x-forwarded-for": address },
  });
  const response = await acsRoute.POST(request, { params: Promise.resolve({ slug }) });
  expect(response.status).toBe(303);
  return new URL(response.headers.get("location")!);
}

const events = (tenantId: string) => db().signInEvent.findMany({ where: { tenantId }, orderBy: { id: "asc" } });

const GARBAGE = {
  "not base64": () => `%%%${unique("junk")}%%%`,
  "not XML": () => encode(`<html><body>${unique("junk")}`),
  "not a SAML Response": () => encode(`<feed xmlns="http://www.w3.org/2005/Atom"><id>${unique("junk")}</id></feed>`),
};

let a: Setup;
let b: Setup;
beforeAll(async () => {
  [a, b] = [await setupTenant(), await setupTenant()];
}, 60_000);
afterAll(() => closeJackson());

describe("garbage posted to the ACS", () => {
  it.each(Object.entries(GARBAGE))("%s: 30 posts from one address answer the refusal page and leave one row", async (_kind, garbage) => {
    const tenant = await setupTenant();
    const address = "198.51.100.30";
    for (let i = 0; i < 30; i++) {
      const location = await postAcs(tenant.tenant.slug, garbage(), address);
      expect(location.pathname).toBe(`/portal/${tenant.tenant.slug}/refused`);
    }
    expect(await events(tenant.tenant.id)).toMatchObject([
      { outcome: "REFUSED", reason: "invalid_response", ipAddress: address, profileId: null },
    ]);
    // Another address is another row.
    await postAcs(tenant.tenant.slug, garbage(), "198.51.100.31");
    expect((await events(tenant.tenant.id)).map((e) => e.ipAddress)).toEqual([address, "198.51.100.31"]);
  });

  it("responses from an issuer no profile of the tenant trusts (even validly signed, for this tenant) leave one row per address", async () => {
    const tenant = await setupTenant();
    const stranger = new TestSamlIdp({ entityId: `https://${unique("stranger")}.example.com/saml`, key: "attacker" });
    for (let i = 0; i < 8; i++) {
      const flow = await startSignIn(tenant);
      const forged = await stranger.response({ spMetadataXml: tenant.spXml, requestId: flow.id, user: { email: tenant.email } });
      await postAcs(tenant.tenant.slug, forged, "198.51.100.40", flow.relayState);
    }
    const rows = await events(tenant.tenant.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      reason: "invalid_response",
      ipAddress: "198.51.100.40",
      detail: expect.stringMatching(/trusts the issuer/),
    });
  });

  it("an unknown organisation answers the refusal page and records nothing", async () => {
    const before = await db().signInEvent.count();
    for (let i = 0; i < 10; i++) await postAcs(unique("no-such-tenant"), GARBAGE["not XML"](), "198.51.100.50");
    expect(await db().signInEvent.count()).toBe(before);
  });
});

describe("responses of an identity provider the tenant trusts", () => {
  it("a wrong audience is recorded every time, under the profile", async () => {
    for (let i = 0; i < 3; i++) {
      const flow = await startSignIn(a);
      const response = await a.idp.response({
        spMetadataXml: a.spXml,
        requestId: flow.id,
        user: { email: a.email },
        overrides: { audience: "https://evil.example/sp" },
      });
      await postAcs(a.tenant.slug, response, "198.51.100.60", flow.relayState);
    }
    const rows = (await events(a.tenant.id)).filter((e) => e.detail?.includes("evil.example"));
    expect(rows).toHaveLength(3);
    for (const row of rows)
      expect(row).toMatchObject({ reason: "invalid_response", profileId: a.profileId, profileName: "Okta", ipAddress: "198.51.100.60" });
  });

  it("an expired assertion and a replayed response are recorded every time", async () => {
    const past = new Date(Date.now() - 60 * 60_000);
    for (let i = 0; i < 2; i++) {
      const flow = await startSignIn(b);
      const expired = await b.idp.response({
        spMetadataXml: b.spXml,
        requestId: flow.id,
        user: { email: b.email },
        overrides: { notBefore: new Date(past.getTime() - 60_000), notOnOrAfter: past },
      });
      await postAcs(b.tenant.slug, expired, "198.51.100.70", flow.relayState);
    }
    const flow = await startSignIn(b);
    const response = await b.idp.response({ spMetadataXml: b.spXml, requestId: flow.id, user: { email: b.email } });
    const accepted = await postAcs(b.tenant.slug, response, "198.51.100.70", flow.relayState);
    expect(accepted.pathname).toBe("/api/sso/callback");
    for (let i = 0; i < 2; i++) await postAcs(b.tenant.slug, response, "198.51.100.70", flow.relayState);
    const rows = await events(b.tenant.id);
    expect(rows.filter((e) => /expired/.test(e.detail ?? ""))).toHaveLength(2);
    // The accepted response is not an event yet (the callback records the sign-in): the other two are the replays.
    expect(rows).toHaveLength(4);
    for (const row of rows)
      expect(row).toMatchObject({ outcome: "REFUSED", reason: "invalid_response", profileId: b.profileId, ipAddress: "198.51.100.70" });
  });
});

describe("RefusalLogThrottle", () => {
  it("lets one refusal per address, tenant and kind through per minute, and counts the others for the next row", () => {
    const throttle = new RefusalLogThrottle({ windowSeconds: 60, maxKeys: 100 });
    const key = { tenantId: "t1", address: "198.51.100.1", kind: "malformed" as const };
    expect(throttle.admit(key, 0)).toEqual({ record: true, suppressedSince: null });
    for (let i = 1; i <= 5; i++) expect(throttle.admit(key, i * 1000)).toEqual({ record: false });
    expect(throttle.admit({ ...key, kind: "unknown_issuer" as const }, 5000).record).toBe(true);
    expect(throttle.admit({ ...key, address: "198.51.100.2" }, 5000).record).toBe(true);
    expect(throttle.admit({ ...key, tenantId: "t2" }, 5000).record).toBe(true);
    expect(throttle.admit(key, 60_000)).toEqual({ record: true, suppressedSince: { count: 5, since: new Date(0) } });
    expect(throttle.admit(key, 60_001)).toEqual({ record: false });
  });

  it("stays bounded under a flood of addresses, forgetting the oldest first", () => {
    const throttle = new RefusalLogThrottle({ windowSeconds: 60, maxKeys: 500 });
    for (let i = 0; i < 50_000; i++) throttle.admit({ tenantId: "t", address: `10.0.${i >> 8}.${i & 255}`, kind: "malformed" }, i);
    expect(throttle.trackedKeys).toBe(500);
    expect(throttle.admit({ tenantId: "t", address: "10.0.0.0", kind: "malformed" }, 50_000).record).toBe(true);
  });
});
