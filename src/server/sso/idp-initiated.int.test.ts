/**
 * IdP-initiated sign-in (an Okta app tile): samlify in the IdP role posts an unsolicited response to
 * the tenant's ACS, through a real Jackson on a real PostgreSQL. Accepted only for a profile that
 * allows it, with every other check of an SP-initiated sign-in.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decode, encode, TestSamlIdp, type ResponseOverrides } from "../../testing/idp/saml-idp";
import { newTenant, newUser, unique } from "../../testing/factories/directory";
import { db } from "../db";
import { addGroupMembers, createGroup, setUserActive } from "../directory";
import { closeJackson } from "./jackson";
import { getPortalSession } from "./portal-session";
import { createSamlProfile, setGroupAuthProfile, spMetadataForSlug, updateProfile } from "./profiles";
import { handleAcs, startPortalSignIn } from "./sign-in";

type Setup = {
  tenant: { id: string; slug: string };
  idp: TestSamlIdp;
  spXml: string;
  profileId: string;
  groupId: string;
  user: { id: string; email: string };
};

async function setupTenant(options: { allowIdpInitiated?: boolean } = {}): Promise<Setup> {
  const tenant = await newTenant();
  const idp = new TestSamlIdp({ entityId: `https://${unique("okta")}.example.com/saml`, key: "idp-a" });
  const profile = await createSamlProfile({
    tenantId: tenant.id,
    name: "Okta",
    metadataXml: idp.metadata(),
    ...(options.allowIdpInitiated === undefined ? {} : { allowIdpInitiated: options.allowIdpInitiated }),
  });
  const group = await createGroup({ tenantId: tenant.id, source: "CONSOLE", fields: { displayName: "Staff" } });
  await setGroupAuthProfile({ tenantId: tenant.id, groupId: group.id, profileId: profile.id });
  const email = `${unique("grace")}@example.com`;
  const user = await newUser(tenant.id, { userName: email, displayName: "Grace Hopper" });
  await addGroupMembers({ tenantId: tenant.id, groupId: group.id, userIds: [user.id], source: "CONSOLE" });
  return {
    tenant,
    idp,
    spXml: (await spMetadataForSlug(tenant.slug)).xml,
    profileId: profile.id,
    groupId: group.id,
    user: { id: user.id, email },
  };
}

/** What the tile click posts: a signed response that answers no request, with the RelayState Okta sends (none by default). */
function tileResponse(s: Setup, options: { email?: string; overrides?: ResponseOverrides; signWith?: "idp-a" | "attacker" } = {}) {
  return s.idp.response({
    spMetadataXml: s.spXml,
    requestId: null,
    user: { email: options.email ?? s.user.email },
    overrides: options.overrides,
    signWith: options.signWith,
  });
}

function post(s: Setup, SAMLResponse: string, RelayState = "") {
  return handleAcs({ slug: s.tenant.slug, SAMLResponse, RelayState, ipAddress: "203.0.113.7" });
}

async function lastEvent(tenantId: string) {
  return db().signInEvent.findFirst({ where: { tenantId }, orderBy: { id: "desc" } });
}

let a: Setup;

beforeAll(async () => {
  a = await setupTenant();
}, 60_000);

afterAll(async () => {
  await closeJackson();
});

describe("IdP-initiated sign-in (app tile)", () => {
  it("is on for a new profile", async () => {
    expect(await db().authenticationProfile.findUniqueOrThrow({ where: { id: a.profileId } })).toMatchObject({ allowIdpInitiated: true });
  });

  it("signs a provisioned, active user of the profile's group in from an unsolicited response, and records it", async () => {
    const result = await post(a, await tileResponse(a), "https://app.example.com/after-login");
    if (result.kind !== "signed-in") throw new Error(JSON.stringify(result));
    const session = await getPortalSession({ slug: a.tenant.slug, token: result.sessionToken });
    expect(session?.user).toMatchObject({ id: a.user.id, email: a.user.email });
    expect(await lastEvent(a.tenant.id)).toMatchObject({
      outcome: "SUCCESS",
      mode: "PORTAL",
      profileId: a.profileId,
      directoryUserId: a.user.id,
      detail: expect.stringMatching(/IdP-initiated/),
    });
  });

  it("refuses a replayed tile response", async () => {
    const response = await tileResponse(a);
    expect((await post(a, response)).kind).toBe("signed-in");
    expect(await post(a, response)).toMatchObject({ kind: "refused", message: expect.stringMatching(/already used/) });
    expect(await lastEvent(a.tenant.id)).toMatchObject({ outcome: "REFUSED", reason: "invalid_response", profileId: a.profileId });
  });

  it("refuses a wrong audience, recipient, destination, and an expired assertion", async () => {
    const hour = 3600_000;
    const cases: [ResponseOverrides, RegExp][] = [
      [{ audience: "https://other-sp.example.com" }, /meant for/],
      [{ recipient: "https://other-sp.example.com/acs" }, /recipient/],
      [{ destination: "https://other-sp.example.com/acs" }, /sent to/],
      [{ notBefore: new Date(Date.now() - 2 * hour), notOnOrAfter: new Date(Date.now() - hour) }, /expired/],
    ];
    for (const [overrides, message] of cases) {
      expect(await post(a, await tileResponse(a, { overrides }))).toMatchObject({
        kind: "refused",
        message: expect.stringMatching(message),
      });
      expect(await lastEvent(a.tenant.id)).toMatchObject({ outcome: "REFUSED", reason: "invalid_response", profileId: a.profileId });
    }
  });

  it("refuses a tile response signed by a certificate the profile does not know", async () => {
    expect(await post(a, await tileResponse(a, { signWith: "attacker" }))).toMatchObject({
      kind: "refused",
      reason: "unknown_certificate",
    });
    expect(await lastEvent(a.tenant.id)).toMatchObject({ outcome: "REFUSED", reason: "unknown_certificate" });
  });

  it("refuses an unsigned tile response", async () => {
    const unsigned = encode(decode(await tileResponse(a)).replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/g, ""));
    expect(await post(a, unsigned)).toMatchObject({ kind: "refused" });
  });

  it("refuses a captured SP-initiated response posted as a tile click (it answers a request)", async () => {
    const started = await startPortalSignIn({ slug: a.tenant.slug, email: a.user.email });
    if (started.kind !== "redirect") throw new Error(JSON.stringify(started));
    const request = await a.idp.parseRequest(a.spXml, started.url);
    const response = await a.idp.response({ spMetadataXml: a.spXml, requestId: request.id, user: { email: a.user.email } });
    expect(await post(a, response)).toMatchObject({ kind: "refused", message: expect.stringMatching(/InResponseTo/) });
  });

  it("refuses unknown, deactivated, other-profile users and users of another tenant, and records why", async () => {
    const b = await setupTenant();
    expect(await post(a, await tileResponse(a, { email: "nobody@example.com" }))).toMatchObject({
      kind: "refused",
      reason: "unknown_user",
    });
    expect(await post(a, await tileResponse(a, { email: b.user.email }))).toMatchObject({ kind: "refused", reason: "other_tenant" });

    const loner = await newUser(a.tenant.id);
    expect(await post(a, await tileResponse(a, { email: loner.userName }))).toMatchObject({ kind: "refused", reason: "no_profile" });

    const ex = await newUser(a.tenant.id);
    await addGroupMembers({ tenantId: a.tenant.id, groupId: a.groupId, userIds: [ex.id], source: "CONSOLE" });
    await setUserActive({ tenantId: a.tenant.id, userId: ex.id, active: false, source: "SCIM" });
    expect(await post(a, await tileResponse(a, { email: ex.userName }))).toMatchObject({ kind: "refused", reason: "deactivated" });
    expect(await lastEvent(a.tenant.id)).toMatchObject({ outcome: "REFUSED", reason: "deactivated", directoryUserId: ex.id });

    // A user whose group uses another (higher-priority) profile.
    const other = await createSamlProfile({
      tenantId: a.tenant.id,
      name: unique("Entra"),
      priority: 1,
      metadataXml: new TestSamlIdp({ entityId: `https://${unique("entra")}.example.com/saml`, key: "idp-b" }).metadata(),
    });
    const group = await createGroup({ tenantId: a.tenant.id, source: "CONSOLE", fields: { displayName: unique("Contractors") } });
    await setGroupAuthProfile({ tenantId: a.tenant.id, groupId: group.id, profileId: other.id });
    const contractor = await newUser(a.tenant.id);
    await addGroupMembers({ tenantId: a.tenant.id, groupId: group.id, userIds: [contractor.id], source: "CONSOLE" });
    await addGroupMembers({ tenantId: a.tenant.id, groupId: a.groupId, userIds: [contractor.id], source: "CONSOLE" });
    expect(await post(a, await tileResponse(a, { email: contractor.userName }))).toMatchObject({
      kind: "refused",
      reason: "wrong_profile",
    });
  });

  it("refuses every unsolicited response when the profile does not allow it and records it; accepts them once turned on, never for a disabled profile", async () => {
    const off = await setupTenant({ allowIdpInitiated: false });
    expect(await post(off, await tileResponse(off))).toMatchObject({
      kind: "refused",
      reason: "invalid_response",
      message: expect.stringMatching(/does not allow sign-in from the identity provider's dashboard/),
    });
    expect(await lastEvent(off.tenant.id)).toMatchObject({ outcome: "REFUSED", profileId: off.profileId });

    // Turned on in the profile: the same kind of click is accepted.
    await updateProfile({ tenantId: off.tenant.id, profileId: off.profileId, allowIdpInitiated: true });
    expect((await post(off, await tileResponse(off))).kind).toBe("signed-in");

    // A disabled profile accepts no tile click.
    await updateProfile({ tenantId: off.tenant.id, profileId: off.profileId, status: "DISABLED" });
    expect(await post(off, await tileResponse(off))).toMatchObject({ kind: "refused", message: expect.stringMatching(/disabled/) });
  });
});
