/**
 * Profiles follow the server's APP_URL, and no Jackson error reaches a user as a 500: a real
 * Jackson on a real PostgreSQL, samlify as the IdP.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TestSamlIdp } from "../../testing/idp/saml-idp";
import { newTenant, newUser, unique } from "../../testing/factories/directory";
import { db } from "../db";
import { addGroupMembers, createGroup } from "../directory";
import { serverEnv } from "../env";
import { closeJackson, jackson } from "./jackson";
import { getPortalSession } from "./portal-session";
import { createSamlProfile, setGroupAuthProfile, spMetadataForSlug } from "./profiles";
import { completeSignIn, handleAcs, startPortalSignIn } from "./sign-in";
import { ssoUrls } from "./urls";

const testAppUrl = serverEnv().APP_URL;

/**
 * As if the server ran with another APP_URL. Jackson is not restarted (it shares one database
 * driver per process, which closing would end): every URL it uses comes from our calls anyway.
 */
async function restartWithAppUrl(appUrl: string) {
  serverEnv().APP_URL = appUrl;
}

beforeAll(async () => {
  await jackson(); // starting Jackson takes seconds; not in a test's time
}, 60_000);

afterEach(async () => {
  await restartWithAppUrl(testAppUrl);
});

afterAll(async () => {
  await closeJackson();
});

async function tenantWithProfile() {
  const tenant = await newTenant();
  const idp = new TestSamlIdp({ entityId: `https://${unique("idp")}.example.com/saml` });
  const profile = await createSamlProfile({ tenantId: tenant.id, name: "Okta", metadataXml: idp.metadata() });
  const group = await createGroup({ tenantId: tenant.id, source: "CONSOLE", fields: { displayName: "Staff" } });
  await setGroupAuthProfile({ tenantId: tenant.id, groupId: group.id, profileId: profile.id });
  const email = `${unique("ada")}@example.com`;
  const user = await newUser(tenant.id, { userName: email });
  await addGroupMembers({ tenantId: tenant.id, groupId: group.id, userIds: [user.id], source: "CONSOLE" });
  return { tenant, idp, profile, user: { id: user.id, email } };
}

async function connectionOf(profileId: string) {
  const { jacksonClientId } = await db().authenticationProfile.findUniqueOrThrow({ where: { id: profileId } });
  const { connectionAPIController } = await jackson();
  const [connection] = await connectionAPIController.getConnections({ clientID: jacksonClientId });
  return connection as unknown as Record<string, unknown> & { clientID: string; clientSecret: string };
}

describe("APP_URL changes", () => {
  let s: Awaited<ReturnType<typeof tenantWithProfile>>;
  beforeAll(async () => {
    // The test server's own APP_URL is the CLI's default, so the profile comes from another address.
    await restartWithAppUrl("https://console.old.example.com");
    s = await tenantWithProfile();
    await restartWithAppUrl(testAppUrl);
  }, 60_000);

  it("a profile created under another APP_URL signs in on a server with this one", async () => {
    expect((await connectionOf(s.profile.id)).defaultRedirectUrl).toBe("https://console.old.example.com/api/sso/callback");
    // The IdP admin configured this server's SP metadata.
    const spXml = (await spMetadataForSlug(s.tenant.slug)).xml;
    const started = await startPortalSignIn({ slug: s.tenant.slug, email: s.user.email });
    if (started.kind !== "redirect") throw new Error(JSON.stringify(started));
    const request = await s.idp.parseRequest(spXml, started.url);
    expect(request.acsUrl).toBe(ssoUrls(testAppUrl).tenant(s.tenant.slug).acsUrl);
    const response = await s.idp.response({ spMetadataXml: spXml, requestId: request.id, user: { email: s.user.email } });
    const acs = await handleAcs({ slug: s.tenant.slug, SAMLResponse: response, RelayState: request.relayState });
    if (acs.kind !== "redirect") throw new Error(JSON.stringify(acs));
    const done = await completeSignIn({ query: new URL(acs.url).searchParams, stateToken: started.stateToken });
    if (done.kind !== "signed-in") throw new Error(JSON.stringify(done));
    expect(await getPortalSession({ slug: s.tenant.slug, token: done.sessionToken })).not.toBeNull();

    const connection = await connectionOf(s.profile.id);
    expect(connection).toMatchObject({
      defaultRedirectUrl: ssoUrls(testAppUrl).callbackUrl,
      redirectUrl: [ssoUrls(testAppUrl).callbackUrl],
      acsUrlOverride: ssoUrls(testAppUrl).tenant(s.tenant.slug).acsUrl,
      samlAudienceOverride: ssoUrls(testAppUrl).tenant(s.tenant.slug).entityId,
    });
  });
});

describe("Jackson errors are refusals, never a 500", () => {
  it("a profile whose Jackson connection is gone: the start and the ACS refuse with a reason, and Sign-ins records it", async () => {
    const s = await tenantWithProfile();
    const spXml = (await spMetadataForSlug(s.tenant.slug)).xml;
    const { connectionAPIController } = await jackson();
    const connection = await connectionOf(s.profile.id);
    await connectionAPIController.deleteConnections({ clientID: connection.clientID, clientSecret: connection.clientSecret });

    expect(await startPortalSignIn({ slug: s.tenant.slug, email: s.user.email })).toMatchObject({
      kind: "refused",
      reason: "idp_error",
      message: expect.stringMatching(/connection of this profile is missing/),
    });
    const event = await db().signInEvent.findFirst({ where: { tenantId: s.tenant.id }, orderBy: { id: "desc" } });
    expect(event).toMatchObject({ outcome: "REFUSED", reason: "idp_error", profileId: s.profile.id });

    const tile = await s.idp.response({ spMetadataXml: spXml, requestId: null, user: { email: s.user.email } });
    expect(await handleAcs({ slug: s.tenant.slug, SAMLResponse: tile, RelayState: "" })).toMatchObject({
      kind: "refused",
      message: expect.stringMatching(/connection of this profile is missing/),
    });
  });

  it("Jackson's own refusal at the ACS (a sign-in state it does not know) is a refusal page with its reason", async () => {
    const s = await tenantWithProfile();
    const spXml = (await spMetadataForSlug(s.tenant.slug)).xml;
    const response = await s.idp.response({ spMetadataXml: spXml, requestId: "_never-asked", user: { email: s.user.email } });
    expect(await handleAcs({ slug: s.tenant.slug, SAMLResponse: response, RelayState: "boxyhq_jackson_no-such-session" })).toMatchObject({
      kind: "refused",
      message: expect.stringMatching(/Unable to validate state/),
    });
    expect(await db().signInEvent.findFirst({ where: { tenantId: s.tenant.id }, orderBy: { id: "desc" } })).toMatchObject({
      outcome: "REFUSED",
      profileId: s.profile.id,
    });
  });
});
