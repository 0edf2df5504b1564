/**
 * The admin side of SSO through the tRPC router: Test sign-in (against a real OpenID Provider,
 * oidc-provider, and a real SAML IdP, samlify), re-importing a SAML profile's IdP metadata
 * (paste, URL, a new IdP), and editing OIDC settings with a write-only secret.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followRedirects, startOidcIdp, type TestOidcIdp } from "../../testing/idp/oidc-idp";
import { TestSamlIdp } from "../../testing/idp/saml-idp";
import { decryptSecret } from "../crypto/secret-box";
import { db } from "../db";
import { addGroupMembers, createGroup, setUserActive } from "../directory";
import { newUser, unique } from "../../testing/factories/directory";
import { closeJackson, jackson } from "./jackson";
import { spMetadataForSlug } from "./profiles";
import { completeSignIn, handleAcs, handleOidcResponse, startPortalSignIn, startTestSignIn } from "./sign-in";
import { ssoUrls } from "./urls";
import { newMemberOf, newOwner, type TestCaller, type TestOwner } from "../../testing/factories/trpc";

const urls = ssoUrls(process.env.APP_URL!);
let oidc: TestOidcIdp;
let owner: TestOwner;
let viewer: TestCaller;
let metadataServer: http.Server;
let metadataBase: string;
const served = new Map<string, string>();

async function groupWithProfile(profileId: string, name = unique("Group")) {
  const group = await createGroup({ tenantId: owner.tenantId, source: "CONSOLE", fields: { displayName: name } });
  await owner.caller.sso.setGroupProfile({ tenantSlug: owner.slug, groupId: group.id, profileId });
  return group.id;
}

async function memberOf(groupId: string, displayName = "Alan Turing") {
  const email = `${unique("alan")}@example.com`;
  const user = await newUser(owner.tenantId, { userName: email, displayName });
  await addGroupMembers({ tenantId: owner.tenantId, groupId, userIds: [user.id], source: "CONSOLE" });
  return { id: user.id, email };
}

/** The admin's Test sign-in with an OIDC profile: start → provider → Jackson → our callback. */
async function testSignInOidc(
  profileId: string,
  login: { email: string; givenName?: string; familyName?: string },
  finishingAccountId = owner.accountId,
) {
  const started = await startTestSignIn({ tenantId: owner.tenantId, profileId, accountId: owner.accountId });
  if (started.kind !== "redirect") throw new Error(JSON.stringify(started));
  oidc.nextLogin = login;
  const back = await followRedirects(started.url, urls.oidcCallbackUrl);
  const answer = await handleOidcResponse({ query: new URL(back).searchParams });
  if (answer.kind !== "redirect") throw new Error(JSON.stringify(answer));
  return completeSignIn({ query: new URL(answer.url).searchParams, stateToken: started.stateToken, currentAccountId: finishingAccountId });
}

/** A portal sign-in with a SAML profile, the IdP answering for `email`. */
async function portalSignInSaml(idp: TestSamlIdp, email: string) {
  const spXml = (await spMetadataForSlug(owner.slug)).xml;
  const started = await startPortalSignIn({ slug: owner.slug, email });
  if (started.kind !== "redirect") return { stage: "start" as const, started };
  if (!started.url.startsWith(idp.ssoUrl)) return { stage: "start" as const, started, wrongIdp: true };
  const request = await idp.parseRequest(spXml, started.url);
  const response = await idp.response({ spMetadataXml: spXml, requestId: request.id, user: { email } });
  const acs = await handleAcs({ slug: owner.slug, SAMLResponse: response, RelayState: request.relayState });
  if (acs.kind !== "redirect") return { stage: "acs" as const, acs };
  return {
    stage: "callback" as const,
    callback: await completeSignIn({ query: new URL(acs.url).searchParams, stateToken: started.stateToken }),
  };
}

beforeAll(async () => {
  oidc = await startOidcIdp({ redirectUri: urls.oidcCallbackUrl });
  owner = await newOwner();
  viewer = await newMemberOf(owner);
  metadataServer = http.createServer((req, res) => {
    const body = served.get(req.url ?? "");
    if (body === undefined) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/samlmetadata+xml" }).end(body);
  });
  await new Promise<void>((resolve) => metadataServer.listen(0, "127.0.0.1", resolve));
  metadataBase = `http://127.0.0.1:${(metadataServer.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await closeJackson();
  await oidc?.close();
  await new Promise<void>((resolve) => metadataServer?.close(() => resolve()));
});

describe("Test sign-in from the console", () => {
  let profileId: string;
  let groupId: string;

  beforeAll(async () => {
    const profile = await owner.caller.sso.createOidc({
      tenantSlug: owner.slug,
      name: "OIDC for tests",
      discoveryUrl: oidc.issuer,
      clientId: oidc.clientId,
      clientSecret: oidc.clientSecret,
    });
    profileId = profile.id;
    groupId = await groupWithProfile(profileId, "Research");
  });

  it("shows the identifier, the attributes and the directory user it matches", async () => {
    const user = await memberOf(groupId, "Alan Turing");
    const result = await testSignInOidc(profileId, { email: user.email, givenName: "Alan", familyName: "Turing" });
    if (result.kind !== "test") throw new Error(JSON.stringify(result));
    expect(result).toMatchObject({ slug: owner.slug, profileId });
    const shown = await owner.caller.sso.testResult({ tenantSlug: owner.slug, eventId: result.eventId });
    expect(shown).toMatchObject({
      outcome: "SUCCESS",
      email: user.email,
      reason: null,
      profileId,
      directoryUser: { id: user.id, userName: user.email, displayName: "Alan Turing", active: true },
    });
    expect(shown?.claims).toMatchObject({ email: user.email, firstName: "Alan", lastName: "Turing" });
    // A test is recorded as such, and signs nobody in to the portal.
    const event = await db().signInEvent.findFirstOrThrow({ where: { id: BigInt(result.eventId) } });
    expect(event.mode).toBe("TEST");
  });

  it("says why an identity matches no one who may sign in", async () => {
    const unknown = await testSignInOidc(profileId, { email: "ghost@example.com" });
    if (unknown.kind !== "test") throw new Error(JSON.stringify(unknown));
    expect(await owner.caller.sso.testResult({ tenantSlug: owner.slug, eventId: unknown.eventId })).toMatchObject({
      outcome: "REFUSED",
      reason: "unknown_user",
      email: "ghost@example.com",
      directoryUser: null,
    });

    const leaver = await memberOf(groupId);
    await setUserActive({ tenantId: owner.tenantId, userId: leaver.id, active: false, source: "SCIM" });
    const deactivated = await testSignInOidc(profileId, { email: leaver.email });
    if (deactivated.kind !== "test") throw new Error(JSON.stringify(deactivated));
    expect(await owner.caller.sso.testResult({ tenantSlug: owner.slug, eventId: deactivated.eventId })).toMatchObject({
      outcome: "REFUSED",
      reason: "deactivated",
      directoryUser: { id: leaver.id, active: false },
    });

    const loner = await newUser(owner.tenantId);
    const noGroup = await testSignInOidc(profileId, { email: loner.userName });
    if (noGroup.kind !== "test") throw new Error(JSON.stringify(noGroup));
    expect(await owner.caller.sso.testResult({ tenantSlug: owner.slug, eventId: noGroup.eventId })).toMatchObject({
      outcome: "REFUSED",
      reason: "no_profile",
      directoryUser: { id: loner.id },
    });
  });

  it("finishes only in the console session that started it, and shows results only in its tenant", async () => {
    const user = await memberOf(groupId);
    const other = await newOwner();
    expect(await testSignInOidc(profileId, { email: user.email }, other.accountId)).toMatchObject({
      kind: "refused",
      reason: "invalid_state",
    });
    const mine = await testSignInOidc(profileId, { email: user.email });
    if (mine.kind !== "test") throw new Error(JSON.stringify(mine));
    expect(await other.caller.sso.testResult({ tenantSlug: other.slug, eventId: mine.eventId })).toBeNull();
  });
});

describe("re-importing a SAML profile's IdP metadata", () => {
  it("takes a new certificate by paste, a new IdP by URL, keeps the profile's id and groups, and sign-in follows", async () => {
    const entityId = `https://${unique("idp")}.example.com/saml`;
    const idpA = new TestSamlIdp({ entityId, key: "idp-a" });
    const { profile } = await owner.caller.sso.createSaml({
      tenantSlug: owner.slug,
      name: "Okta",
      source: { metadataXml: idpA.metadata() },
    });
    const groupId = await groupWithProfile(profile.id);
    const user = await memberOf(groupId);
    expect(await portalSignInSaml(idpA, user.email)).toMatchObject({ stage: "callback", callback: { kind: "signed-in" } });

    // The IdP rotated its key: the same entity ID, another certificate, pasted.
    const rotated = new TestSamlIdp({ entityId, key: "idp-b" });
    const before = await db().authenticationProfile.findUniqueOrThrow({ where: { id: profile.id } });
    const pasted = await owner.caller.sso.replaceMetadata({
      tenantSlug: owner.slug,
      profileId: profile.id,
      source: { metadataXml: rotated.metadata() },
    });
    expect(pasted.profile).toMatchObject({ id: profile.id, idpEntityId: entityId, groups: [{ id: groupId }] });
    expect((await db().authenticationProfile.findUniqueOrThrow({ where: { id: profile.id } })).jacksonClientId).toBe(
      before.jacksonClientId,
    );
    expect(await portalSignInSaml(rotated, user.email)).toMatchObject({ stage: "callback", callback: { kind: "signed-in" } });
    expect(await portalSignInSaml(idpA, user.email)).toMatchObject({ stage: "acs", acs: { kind: "refused" } });

    // Another IdP altogether, from its metadata URL.
    const moved = new TestSamlIdp({ entityId: `https://${unique("new-idp")}.example.com/saml`, key: "idp-a" });
    served.set("/moved/metadata", moved.metadata());
    const byUrl = await owner.caller.sso.replaceMetadata({
      tenantSlug: owner.slug,
      profileId: profile.id,
      source: { metadataUrl: `${metadataBase}/moved/metadata` },
    });
    expect(byUrl.profile).toMatchObject({
      id: profile.id,
      idpEntityId: moved.entityId,
      idpSsoUrl: moved.ssoUrl,
      metadataUrl: `${metadataBase}/moved/metadata`,
      groups: [{ id: groupId }],
    });
    const after = await db().authenticationProfile.findUniqueOrThrow({ where: { id: profile.id } });
    expect(after.jacksonClientId).not.toBe(before.jacksonClientId);
    expect(await (await jackson()).connectionAPIController.getConnections({ clientID: before.jacksonClientId })).toEqual([]);
    expect(await portalSignInSaml(moved, user.email)).toMatchObject({ stage: "callback", callback: { kind: "signed-in" } });
  });

  it("validates like on create, and refuses viewers and OIDC profiles", async () => {
    const idp = new TestSamlIdp({ entityId: `https://${unique("idp")}.example.com/saml` });
    const { profile } = await owner.caller.sso.createSaml({
      tenantSlug: owner.slug,
      name: unique("SAML"),
      source: { metadataXml: idp.metadata() },
    });
    const call = (source: { metadataXml: string } | { metadataUrl: string }) =>
      owner.caller.sso.replaceMetadata({ tenantSlug: owner.slug, profileId: profile.id, source });
    await expect(call({ metadataXml: "not xml at all" })).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { field: "metadataXml" } });
    await expect(call({ metadataXml: "<root/>" })).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { field: "metadataXml" } });
    await expect(call({ metadataUrl: `${metadataBase}/nothing-here` })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/HTTP 404/),
      cause: { field: "metadataUrl" },
    });
    // Another profile's IdP.
    const otherIdp = new TestSamlIdp({ entityId: `https://${unique("idp")}.example.com/saml` });
    await owner.caller.sso.createSaml({ tenantSlug: owner.slug, name: unique("SAML"), source: { metadataXml: otherIdp.metadata() } });
    await expect(call({ metadataXml: otherIdp.metadata() })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      viewer.sso.replaceMetadata({ tenantSlug: owner.slug, profileId: profile.id, source: { metadataXml: idp.metadata() } }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const o = await owner.caller.sso.createOidc({
      tenantSlug: owner.slug,
      name: unique("OIDC"),
      discoveryUrl: oidc.issuer,
      clientId: unique("c"),
      clientSecret: "s",
    });
    await expect(
      owner.caller.sso.replaceMetadata({ tenantSlug: owner.slug, profileId: o.id, source: { metadataXml: idp.metadata() } }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("editing OIDC settings", () => {
  // Its own provider and client: a tenant has one connection per OIDC client id.
  let first: TestOidcIdp;
  beforeAll(async () => {
    first = oidc;
    oidc = await startOidcIdp({ redirectUri: urls.oidcCallbackUrl });
  });
  afterAll(async () => {
    await oidc.close();
    oidc = first;
  });

  it("keeps the secret write-only: blank keeps it, a new one replaces it, and sign-in uses it", async () => {
    const profile = await owner.caller.sso.createOidc({
      tenantSlug: owner.slug,
      name: "Editable OIDC",
      discoveryUrl: `${oidc.issuer}/`,
      clientId: oidc.clientId,
      clientSecret: "wrong-secret",
    });
    expect(JSON.stringify(profile)).not.toContain("wrong-secret");
    const groupId = await groupWithProfile(profile.id);
    const user = await memberOf(groupId);
    // The provider refuses the wrong secret at the code exchange.
    const refused = await testSignInOidc(profile.id, { email: user.email });
    if (refused.kind !== "test") throw new Error(JSON.stringify(refused));
    expect(await owner.caller.sso.testResult({ tenantSlug: owner.slug, eventId: refused.eventId })).toMatchObject({
      outcome: "REFUSED",
      reason: "idp_error",
    });

    const fixed = await owner.caller.sso.updateOidc({
      tenantSlug: owner.slug,
      profileId: profile.id,
      discoveryUrl: oidc.discoveryUrl,
      clientId: oidc.clientId,
      clientSecret: oidc.clientSecret,
    });
    expect(JSON.stringify(fixed)).not.toContain(oidc.clientSecret);
    expect(fixed).toMatchObject({ hasClientSecret: true, oidcDiscoveryUrl: oidc.discoveryUrl, oidcClientId: oidc.clientId });
    const row = await db().authenticationProfile.findUniqueOrThrow({ where: { id: profile.id } });
    expect(decryptSecret(row.oidcClientSecretEnc!, { aad: `auth-profile:${row.id}` })).toBe(oidc.clientSecret);
    const ok = await testSignInOidc(profile.id, { email: user.email });
    if (ok.kind !== "test") throw new Error(JSON.stringify(ok));
    expect(await owner.caller.sso.testResult({ tenantSlug: owner.slug, eventId: ok.eventId })).toMatchObject({
      outcome: "SUCCESS",
      directoryUser: { id: user.id },
    });

    // Blank secret: kept (sign-in still works), even with a new client id (a new Jackson connection).
    const renamed = await owner.caller.sso.updateOidc({
      tenantSlug: owner.slug,
      profileId: profile.id,
      discoveryUrl: oidc.issuer,
      clientId: "another-client",
    });
    expect(renamed).toMatchObject({ oidcClientId: "another-client", hasClientSecret: true });
    const kept = await db().authenticationProfile.findUniqueOrThrow({ where: { id: profile.id } });
    expect(kept.oidcClientSecretEnc).toBe(row.oidcClientSecretEnc);
    expect(kept.jacksonClientId).not.toBe(row.jacksonClientId);
    await owner.caller.sso.updateOidc({
      tenantSlug: owner.slug,
      profileId: profile.id,
      discoveryUrl: oidc.issuer,
      clientId: oidc.clientId,
      clientSecret: "",
    });
    const again = await testSignInOidc(profile.id, { email: user.email });
    if (again.kind !== "test") throw new Error(JSON.stringify(again));
    expect(await owner.caller.sso.testResult({ tenantSlug: owner.slug, eventId: again.eventId })).toMatchObject({ outcome: "SUCCESS" });
  });

  it("validates the discovery URL and refuses viewers", async () => {
    const profile = await owner.caller.sso.createOidc({
      tenantSlug: owner.slug,
      name: unique("OIDC"),
      discoveryUrl: oidc.issuer,
      clientId: unique("client"),
      clientSecret: "s",
    });
    await expect(
      owner.caller.sso.updateOidc({
        tenantSlug: owner.slug,
        profileId: profile.id,
        discoveryUrl: `${metadataBase}/nothing`,
        clientId: "c",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { field: "discoveryUrl" } });
    await expect(
      viewer.sso.updateOidc({ tenantSlug: owner.slug, profileId: profile.id, discoveryUrl: oidc.issuer, clientId: "c" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
