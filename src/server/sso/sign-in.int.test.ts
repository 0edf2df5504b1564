/**
 * SSO end to end on a real Jackson and a real PostgreSQL, against an IdP we did not write
 * (samlify in the IdP role): the happy path, then every way a response must be refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { decode, encode, TestSamlIdp, type ResponseOverrides, type TestUser } from "../../testing/idp/saml-idp";
import { db } from "../db";
import { addGroupMembers, createGroup, setUserActive } from "../directory";
import { newTenant, newUser, unique } from "../../testing/factories/directory";
import { closeJackson } from "./jackson";
import { getPortalSession } from "./portal-session";
import { createSamlProfile, setGroupAuthProfile, spMetadataForSlug } from "./profiles";
import { completeSignIn, handleAcs, startPortalSignIn } from "./sign-in";

type Tenant = { id: string; slug: string };
type Setup = { tenant: Tenant; idp: TestSamlIdp; spXml: string; profileId: string; user: { id: string; email: string } };

async function setupTenant(idpKey: "idp-a" | "idp-b"): Promise<Setup> {
  const tenant = await newTenant();
  const idp = new TestSamlIdp({ entityId: `https://${unique("idp")}.example.com/saml`, key: idpKey });
  const profile = await createSamlProfile({ tenantId: tenant.id, name: "Okta", metadataXml: idp.metadata() });
  const group = await createGroup({ tenantId: tenant.id, source: "CONSOLE", fields: { displayName: "Data" } });
  await setGroupAuthProfile({ tenantId: tenant.id, groupId: group.id, profileId: profile.id });
  const email = `${unique("ada")}@example.com`;
  const user = await newUser(tenant.id, { userName: email, displayName: "Ada Lovelace" });
  await addGroupMembers({ tenantId: tenant.id, groupId: group.id, userIds: [user.id], source: "CONSOLE" });
  return { tenant, idp, spXml: (await spMetadataForSlug(tenant.slug)).xml, profileId: profile.id, user: { id: user.id, email } };
}

/** Starts a portal sign-in and returns what the IdP saw. */
async function start(s: Setup, email = s.user.email) {
  const started = await startPortalSignIn({ slug: s.tenant.slug, email });
  if (started.kind !== "redirect") throw new Error(`expected a redirect, got ${JSON.stringify(started)}`);
  expect(started.url.startsWith(s.idp.ssoUrl)).toBe(true);
  const request = await s.idp.parseRequest(s.spXml, started.url);
  return { ...request, stateToken: started.stateToken };
}

async function postAndFinish(s: Setup, flow: { relayState: string; stateToken: string }, samlResponse: string, slug = s.tenant.slug) {
  const acs = await handleAcs({ slug, SAMLResponse: samlResponse, RelayState: flow.relayState });
  if (acs.kind !== "redirect") return { stage: "acs" as const, acs };
  const callback = await completeSignIn({ query: new URL(acs.url).searchParams, stateToken: flow.stateToken });
  return { stage: "callback" as const, callback };
}

async function signIn(
  s: Setup,
  options: {
    user?: TestUser;
    overrides?: ResponseOverrides;
    mutate?: (xml: string) => string;
    signWith?: "idp-a" | "idp-b" | "attacker";
    idp?: TestSamlIdp;
  } = {},
) {
  const flow = await start(s);
  let response = await (options.idp ?? s.idp).response({
    spMetadataXml: s.spXml,
    requestId: flow.id,
    user: options.user ?? { email: s.user.email },
    overrides: options.overrides,
    signWith: options.signWith,
  });
  if (options.mutate) response = encode(options.mutate(decode(response)));
  return { flow, response, result: await postAndFinish(s, flow, response) };
}

function expectRefusedAtAcs(result: Awaited<ReturnType<typeof postAndFinish>>, message?: RegExp) {
  expect(result.stage).toBe("acs");
  if (result.stage !== "acs") return;
  expect(result.acs.kind).toBe("refused");
  if (message && result.acs.kind === "refused") expect(result.acs.message).toMatch(message);
}

async function lastEvent(tenantId: string) {
  return db().signInEvent.findFirst({ where: { tenantId }, orderBy: { id: "desc" } });
}

let a: Setup;
let b: Setup;

beforeAll(async () => {
  a = await setupTenant("idp-a");
  b = await setupTenant("idp-b");
}, 60_000);

afterAll(async () => {
  await closeJackson();
});

describe("SAML sign-in through Jackson", () => {
  it("keeps Jackson's tables in their own schema", async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    const { rows } = await client.query<{ table_schema: string }>(
      "SELECT DISTINCT table_schema FROM information_schema.tables WHERE table_name LIKE 'jackson_%'",
    );
    await client.end();
    expect(rows.map((r) => r.table_schema)).toEqual(["jackson"]);
  });

  it("signs in a provisioned, active user of the group (happy path) and records it", async () => {
    const { result } = await signIn(a);
    expect(result.stage).toBe("callback");
    if (result.stage !== "callback" || result.callback.kind !== "signed-in") throw new Error(JSON.stringify(result));
    const session = await getPortalSession({ slug: a.tenant.slug, token: result.callback.sessionToken });
    expect(session?.user).toMatchObject({ id: a.user.id, email: a.user.email, name: "Ada Lovelace" });
    expect(session?.groups.map((g) => g.displayName)).toEqual(["Data"]);
    // The session is bound to its tenant.
    expect(await getPortalSession({ slug: b.tenant.slug, token: result.callback.sessionToken })).toBeNull();
    expect(await lastEvent(a.tenant.id)).toMatchObject({
      outcome: "SUCCESS",
      directoryUserId: a.user.id,
      profileId: a.profileId,
      email: a.user.email,
    });
  });

  it("also accepts a response signed as a whole (not only the assertion)", async () => {
    const flow = await start(a);
    const response = await a.idp.response({
      spMetadataXml: a.spXml,
      requestId: flow.id,
      user: { email: a.user.email },
      signResponse: true,
    });
    const result = await postAndFinish(a, flow, response);
    expect(result.stage === "callback" && result.callback.kind).toBe("signed-in");
  });

  it("refuses an unsigned response", async () => {
    const { result } = await signIn(a, { mutate: (xml) => xml.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/g, "") });
    expectRefusedAtAcs(result);
    expect(await lastEvent(a.tenant.id)).toMatchObject({ outcome: "REFUSED", reason: "invalid_response" });
  });

  it("refuses a response whose signed content was altered (another user swapped in)", async () => {
    const other = await newUser(a.tenant.id);
    const { result } = await signIn(a, { mutate: (xml) => xml.split(a.user.email).join(other.userName) });
    expectRefusedAtAcs(result);
    // Signed by the trusted certificate, so not an unknown certificate: the content was altered.
    expect(await lastEvent(a.tenant.id)).toMatchObject({ outcome: "REFUSED", reason: "invalid_response" });
  });

  it("refuses signature wrapping: the signed assertion moved into Extensions, a forged one in its place", async () => {
    const evil = await newUser(a.tenant.id);
    const { result } = await signIn(a, {
      mutate: (xml) => {
        const assertion = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)![0];
        const forged = assertion
          .replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, "")
          .split(a.user.email)
          .join(evil.userName)
          .replace(/ID="[^"]+"/, 'ID="_forged"');
        return xml.replace(assertion, forged).replace("<samlp:Status>", `<samlp:Extensions>${assertion}</samlp:Extensions><samlp:Status>`);
      },
    });
    expectRefusedAtAcs(result, /more than one assertion/);
  });

  it("refuses signature wrapping: a duplicated (forged) assertion beside the signed one", async () => {
    const evil = await newUser(a.tenant.id);
    const { result } = await signIn(a, {
      mutate: (xml) => {
        const assertion = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)![0];
        const forged = assertion
          .replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, "")
          .split(a.user.email)
          .join(evil.userName);
        return xml.replace(assertion, `${forged}${assertion}`);
      },
    });
    expectRefusedAtAcs(result, /more than one assertion/);
  });

  it("refuses a wrong audience, even one that merely starts with ours", async () => {
    const sp = await spMetadataForSlug(a.tenant.slug);
    expectRefusedAtAcs((await signIn(a, { overrides: { audience: "https://other-sp.example.com" } })).result, /meant for/);
    expectRefusedAtAcs((await signIn(a, { overrides: { audience: `${sp.entityId}-evil` } })).result, /meant for/);
  });

  it("refuses a wrong recipient and a wrong destination", async () => {
    expectRefusedAtAcs((await signIn(a, { overrides: { recipient: "https://other-sp.example.com/acs" } })).result, /recipient/);
    expectRefusedAtAcs((await signIn(a, { overrides: { destination: "https://other-sp.example.com/acs" } })).result, /sent to/);
  });

  it("refuses expired and not-yet-valid assertions", async () => {
    const hour = 3600_000;
    expectRefusedAtAcs(
      (await signIn(a, { overrides: { notBefore: new Date(Date.now() - 2 * hour), notOnOrAfter: new Date(Date.now() - hour) } })).result,
      /expired/,
    );
    expectRefusedAtAcs(
      (await signIn(a, { overrides: { notBefore: new Date(Date.now() + hour), notOnOrAfter: new Date(Date.now() + 2 * hour) } })).result,
      /not valid yet/,
    );
  });

  it("refuses an unsolicited response (no InResponseTo)", async () => {
    expectRefusedAtAcs((await signIn(a, { overrides: { inResponseTo: null } })).result, /InResponseTo/);
  });

  it("refuses a replayed response, in the same sign-in and in a new one", async () => {
    const { flow, response, result } = await signIn(a);
    expect(result.stage === "callback" && result.callback.kind).toBe("signed-in");
    expectRefusedAtAcs(await postAndFinish(a, flow, response));
    const again = await start(a);
    expectRefusedAtAcs(await postAndFinish(a, { relayState: again.relayState, stateToken: again.stateToken }, response));
  });

  it("refuses a response signed by another key than the one in the imported metadata, and says it is an unknown certificate", async () => {
    expectRefusedAtAcs((await signIn(a, { signWith: "attacker" })).result, /unknown certificate/);
    const event = await lastEvent(a.tenant.id);
    expect(event).toMatchObject({ outcome: "REFUSED", reason: "unknown_certificate", profileId: a.profileId });
    expect(event?.detail).toMatch(/signed by an unknown certificate: .*SHA-256 [0-9A-F:]{95}/);
  });

  it("refuses a response made for another tenant's profile", async () => {
    // B's IdP answered a sign-in of B: posted to A's ACS it is for B's audience and recipient.
    const flowB = await start(b);
    const responseForB = await b.idp.response({ spMetadataXml: b.spXml, requestId: flowB.id, user: { email: b.user.email } });
    const flowA = await start(a);
    expectRefusedAtAcs(await postAndFinish(a, flowA, responseForB), /not for this organisation|recipient|sent to/);
    // Even shaped for A (audience, recipient, InResponseTo), B's IdP is not trusted by A.
    const forged = await b.idp.response({ spMetadataXml: a.spXml, requestId: flowA.id, user: { email: a.user.email } });
    expectRefusedAtAcs(await postAndFinish(a, flowA, forged), /trusts the issuer/);
  });

  it("refuses an assertion naming a user of another tenant", async () => {
    const { result } = await signIn(a, { user: { email: b.user.email } });
    expect(result.stage === "callback" && result.callback).toMatchObject({ kind: "refused", reason: "other_tenant" });
    expect(await lastEvent(a.tenant.id)).toMatchObject({ outcome: "REFUSED", reason: "other_tenant" });
  });

  it("refuses the callback without this browser's state", async () => {
    const flow = await start(a);
    const response = await a.idp.response({ spMetadataXml: a.spXml, requestId: flow.id, user: { email: a.user.email } });
    const acs = await handleAcs({ slug: a.tenant.slug, SAMLResponse: response, RelayState: flow.relayState });
    if (acs.kind !== "redirect") throw new Error("expected the ACS to accept");
    const other = await start(a);
    expect(await completeSignIn({ query: new URL(acs.url).searchParams, stateToken: other.stateToken })).toMatchObject({
      kind: "refused",
      reason: "invalid_state",
    });
    expect(await completeSignIn({ query: new URL(acs.url).searchParams, stateToken: undefined })).toMatchObject({
      kind: "refused",
      reason: "invalid_state",
    });
  });
});

describe("who may sign in", () => {
  it("refuses unknown users and users without a profile at the start, and records it", async () => {
    expect(await startPortalSignIn({ slug: a.tenant.slug, email: "nobody@example.com" })).toMatchObject({
      kind: "refused",
      reason: "unknown_user",
    });
    expect(await lastEvent(a.tenant.id)).toMatchObject({ outcome: "REFUSED", reason: "unknown_user", email: "nobody@example.com" });
    const loner = await newUser(a.tenant.id);
    expect(await startPortalSignIn({ slug: a.tenant.slug, email: loner.userName })).toMatchObject({
      kind: "refused",
      reason: "no_profile",
    });
    // B's user is unknown in A.
    expect(await startPortalSignIn({ slug: a.tenant.slug, email: b.user.email })).toMatchObject({
      kind: "refused",
      reason: "unknown_user",
    });
  });

  it("refuses a deactivated user at the start, and one deactivated while at the IdP", async () => {
    const s: Setup = { ...a, user: { id: "", email: "" } };
    const user = await newUser(a.tenant.id);
    const group = await db().groupAuthProfile.findFirstOrThrow({ where: { profileId: a.profileId } });
    await addGroupMembers({ tenantId: a.tenant.id, groupId: group.groupId, userIds: [user.id], source: "CONSOLE" });
    s.user = { id: user.id, email: user.userName };
    const flow = await start(s);
    await setUserActive({ tenantId: a.tenant.id, userId: user.id, active: false, source: "SCIM" });
    const response = await a.idp.response({ spMetadataXml: a.spXml, requestId: flow.id, user: { email: user.userName } });
    const result = await postAndFinish(s, flow, response);
    expect(result.stage === "callback" && result.callback).toMatchObject({ kind: "refused", reason: "deactivated" });
    expect(await startPortalSignIn({ slug: a.tenant.slug, email: user.userName })).toMatchObject({
      kind: "refused",
      reason: "deactivated",
    });
  });

  it("ends the portal session of a user deactivated after signing in", async () => {
    const user = await newUser(a.tenant.id);
    const group = await db().groupAuthProfile.findFirstOrThrow({ where: { profileId: a.profileId } });
    await addGroupMembers({ tenantId: a.tenant.id, groupId: group.groupId, userIds: [user.id], source: "CONSOLE" });
    const s: Setup = { ...a, user: { id: user.id, email: user.userName } };
    const { result } = await signIn(s);
    if (result.stage !== "callback" || result.callback.kind !== "signed-in") throw new Error(JSON.stringify(result));
    expect(await getPortalSession({ slug: a.tenant.slug, token: result.callback.sessionToken })).not.toBeNull();
    await setUserActive({ tenantId: a.tenant.id, userId: user.id, active: false, source: "SCIM" });
    expect(await getPortalSession({ slug: a.tenant.slug, token: result.callback.sessionToken })).toBeNull();
  });
});
