/**
 * OIDC sign-in end to end: a real OpenID Provider (`oidc-provider`, which we did not write) on
 * 127.0.0.1, a real Jackson and PostgreSQL. The profile is created through the service layer;
 * the browser's redirects are followed with a cookie jar; Jackson exchanges the provider's code,
 * and our callback exchanges Jackson's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followRedirects, startOidcIdp, type OidcTestUser, type TestOidcIdp } from "../../testing/idp/oidc-idp";
import { decryptSecret } from "../crypto/secret-box";
import { db } from "../db";
import { addGroupMembers, createGroup, setUserActive } from "../directory";
import { newTenant, newUser, unique } from "../../testing/factories/directory";
import { closeJackson, jackson } from "./jackson";
import { getPortalSession } from "./portal-session";
import { createOidcProfile, setGroupAuthProfile } from "./profiles";
import { completeSignIn, handleOidcResponse, startPortalSignIn } from "./sign-in";
import { ssoUrls } from "./urls";

const urls = ssoUrls(process.env.APP_URL!);
let idp: TestOidcIdp;
let tenant: { id: string; slug: string };
let profileId: string;
let groupId: string;

async function memberOfGroup(fields: { displayName?: string } = {}) {
  const email = `${unique("grace")}@example.com`;
  const user = await newUser(tenant.id, { userName: email, displayName: fields.displayName ?? "Grace Hopper" });
  await addGroupMembers({ tenantId: tenant.id, groupId, userIds: [user.id], source: "CONSOLE" });
  return { id: user.id, email };
}

/** The whole browser trip: portal start → provider → /api/oauth/oidc → our callback. */
async function signIn(email: string, login: OidcTestUser | null = { email }) {
  const started = await startPortalSignIn({ slug: tenant.slug, email });
  if (started.kind !== "redirect") return { stage: "start" as const, started };
  expect(started.url.startsWith(`${idp.issuer}/`)).toBe(true);
  idp.nextLogin = login;
  const back = await followRedirects(started.url, urls.oidcCallbackUrl);
  const oidc = await handleOidcResponse({ query: new URL(back).searchParams });
  if (oidc.kind !== "redirect") return { stage: "oidc" as const, oidc };
  const callback = await completeSignIn({ query: new URL(oidc.url).searchParams, stateToken: started.stateToken });
  return { stage: "callback" as const, callback };
}

async function lastEvent() {
  return db().signInEvent.findFirst({ where: { tenantId: tenant.id }, orderBy: { id: "desc" } });
}

beforeAll(async () => {
  idp = await startOidcIdp({ redirectUri: urls.oidcCallbackUrl });
  tenant = await newTenant();
  const profile = await createOidcProfile({
    tenantId: tenant.id,
    name: "Corporate OIDC",
    discoveryUrl: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
  });
  profileId = profile.id;
  const group = await createGroup({ tenantId: tenant.id, source: "CONSOLE", fields: { displayName: "Engineering" } });
  groupId = group.id;
  await setGroupAuthProfile({ tenantId: tenant.id, groupId, profileId });
}, 60_000);

afterAll(async () => {
  await closeJackson();
  await idp?.close();
});

describe("OIDC authentication profile", () => {
  it("stores the provider's settings, the client secret only encrypted", async () => {
    const row = await db().authenticationProfile.findUniqueOrThrow({ where: { id: profileId } });
    expect(row).toMatchObject({
      protocol: "OIDC",
      idpEntityId: idp.issuer,
      oidcDiscoveryUrl: idp.discoveryUrl,
      oidcClientId: idp.clientId,
    });
    expect(row.oidcClientSecretEnc).toBeTruthy();
    expect(row.oidcClientSecretEnc).not.toContain(idp.clientSecret);
    expect(decryptSecret(row.oidcClientSecretEnc!, { aad: `auth-profile:${row.id}` })).toBe(idp.clientSecret);
    const [connection] = await (await jackson()).connectionAPIController.getConnections({ clientID: row.jacksonClientId });
    expect(connection).toMatchObject({ oidcProvider: { discoveryUrl: idp.discoveryUrl, clientId: idp.clientId } });
  });
});

describe("OIDC sign-in through Jackson", () => {
  it("signs in an active provisioned user of the group and records it", async () => {
    const user = await memberOfGroup({ displayName: "Grace Hopper" });
    const result = await signIn(user.email, { email: user.email, givenName: "Grace", familyName: "Hopper" });
    if (result.stage !== "callback" || result.callback.kind !== "signed-in") throw new Error(JSON.stringify(result));
    const session = await getPortalSession({ slug: tenant.slug, token: result.callback.sessionToken });
    expect(session?.user).toMatchObject({ id: user.id, email: user.email, name: "Grace Hopper" });
    expect(session?.groups.map((g) => g.displayName)).toEqual(["Engineering"]);
    expect(await lastEvent()).toMatchObject({ outcome: "SUCCESS", mode: "PORTAL", directoryUserId: user.id, profileId, email: user.email });
  });

  it("refuses a deactivated user at the start, and one deactivated while at the provider", async () => {
    const user = await memberOfGroup();
    const started = await startPortalSignIn({ slug: tenant.slug, email: user.email });
    if (started.kind !== "redirect") throw new Error(JSON.stringify(started));
    await setUserActive({ tenantId: tenant.id, userId: user.id, active: false, source: "SCIM" });
    idp.nextLogin = { email: user.email };
    const back = await followRedirects(started.url, urls.oidcCallbackUrl);
    const oidc = await handleOidcResponse({ query: new URL(back).searchParams });
    if (oidc.kind !== "redirect") throw new Error(JSON.stringify(oidc));
    expect(await completeSignIn({ query: new URL(oidc.url).searchParams, stateToken: started.stateToken })).toMatchObject({
      kind: "refused",
      reason: "deactivated",
    });
    expect(await lastEvent()).toMatchObject({ outcome: "REFUSED", reason: "deactivated", directoryUserId: user.id, profileId });

    expect(await signIn(user.email)).toMatchObject({ stage: "start", started: { kind: "refused", reason: "deactivated" } });
    expect(await lastEvent()).toMatchObject({ outcome: "REFUSED", reason: "deactivated", directoryUserId: user.id });
  });

  it("refuses an unknown user at the start, and an identity the provider vouches for that is not in the directory", async () => {
    expect(await signIn("nobody@example.com")).toMatchObject({ stage: "start", started: { kind: "refused", reason: "unknown_user" } });
    expect(await lastEvent()).toMatchObject({ outcome: "REFUSED", reason: "unknown_user", email: "nobody@example.com" });

    // A directory user starts, but the provider signs in someone else, unknown here.
    const user = await memberOfGroup();
    const result = await signIn(user.email, { email: "stranger@example.com" });
    expect(result).toMatchObject({ stage: "callback", callback: { kind: "refused", reason: "unknown_user" } });
    expect(await lastEvent()).toMatchObject({ outcome: "REFUSED", reason: "unknown_user", email: "stranger@example.com", profileId });
  });

  it("records the provider's refusal (access_denied) under the tenant", async () => {
    const user = await memberOfGroup();
    const result = await signIn(user.email, null);
    expect(result).toMatchObject({ stage: "callback", callback: { kind: "refused", reason: "idp_error" } });
    expect((await lastEvent())?.detail).toMatch(/cancelled|access_denied/);
  });

  it("refuses a provider answer that is replayed or not tied to a sign-in started here", async () => {
    const user = await memberOfGroup();
    const started = await startPortalSignIn({ slug: tenant.slug, email: user.email });
    if (started.kind !== "redirect") throw new Error(JSON.stringify(started));
    idp.nextLogin = { email: user.email };
    const back = new URL(await followRedirects(started.url, urls.oidcCallbackUrl));
    expect((await handleOidcResponse({ query: back.searchParams })).kind).toBe("redirect");
    expect(await handleOidcResponse({ query: back.searchParams })).toMatchObject({ kind: "refused" });
    const forged = new URLSearchParams(back.searchParams);
    forged.set("state", "not-a-state");
    expect(await handleOidcResponse({ query: forged })).toMatchObject({ kind: "refused" });
    forged.delete("state");
    expect(await handleOidcResponse({ query: forged })).toMatchObject({ kind: "refused" });
  });
});
