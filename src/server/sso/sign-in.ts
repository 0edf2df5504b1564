import { createHash, randomBytes } from "node:crypto";
import type { Prisma } from "@/generated/prisma/client";
import type { AuthProfileStatus } from "@/generated/prisma/enums";
import { db } from "../db";
import { userNameKey } from "../directory";
import { serverEnv } from "../env";
import { isUniqueViolation } from "../errors";
import { logInternalError } from "../http/internal-error";
import { alignConnectionUrls, MissingConnectionError } from "./connection-urls";
import { jackson, JACKSON_RELAY_STATE_PREFIX } from "./jackson";
import { jacksonRefusal } from "./jackson-http";
import { createPortalSessionToken } from "./portal-session";
import { checkSamlResponse, decodeSamlResponse, SamlResponseRefused } from "./saml-response-guard";
import { describeUnknownSigner } from "./signing-certificates";
import { recordSignInEvent, recordUnattributedRefusal, refusalReasons, type RefusalReason } from "./sign-in-events";
import { signToken, verifyToken } from "./signed-token";
import { ssoUrls } from "./urls";
import { errorFields, log } from "../observability/logger";

/**
 * The end-user sign-in, SP-initiated:
 *   start (email → directory user → their group's profile) → Jackson authorize → IdP →
 *   ACS (our checks, then Jackson's) → callback (code exchange with PKCE, re-check the user) →
 *   portal session;
 * and IdP-initiated (an Okta app tile), for profiles that allow it: the IdP posts an unsolicited
 * response to the ACS, which makes the same checks, exchanges Jackson's code itself (server-side,
 * with the connection's secret) and checks the user the same way as the callback.
 * The state cookie carries what the callback needs to trust the answer: which tenant and profile
 * this browser started with, the PKCE verifier, and whether it is an admin's test sign-in.
 */
export const STATE_COOKIE = "lc_sso_state";
const STATE_PURPOSE = "sso-state";
const STATE_SECONDS = 10 * 60;

type SsoState = {
  exp: number;
  state: string;
  verifier: string;
  tenantId: string;
  slug: string;
  profileId: string;
  mode: "PORTAL" | "TEST";
  accountId?: string;
};

export type RequestInfo = { ipAddress?: string | null; userAgent?: string | null };

export type StartResult =
  | { kind: "redirect"; url: string; stateToken: string }
  | { kind: "form"; html: string; stateToken: string }
  | { kind: "refused"; reason: RefusalReason | "unknown_tenant"; message: string };

type ActiveProfile = { id: string; name: string; jacksonClientId: string; priority: number; protocol: "SAML" | "OIDC" };

function normalise(email: string) {
  return email.trim().toLowerCase();
}

/** A tenant's user by sign-in identifier: userName first (unique), else the primary email. */
export async function findUserByIdentifier(options: { tenantId: string; identifier: string }) {
  if (!normalise(options.identifier)) return null;
  const select = { id: true, userName: true, email: true, active: true, displayName: true } as const;
  // The same canonical key SCIM Import's uniqueness uses: a fullwidth "ａｌｉｃｅ" is alice.
  const byUserName = await db().directoryUser.findFirst({
    where: { tenantId: options.tenantId, userNameKey: userNameKey(options.identifier) },
    select,
  });
  if (byUserName) return byUserName;
  const byEmail = await db().directoryUser.findMany({
    where: { tenantId: options.tenantId, email: normalise(options.identifier) },
    select,
    take: 2,
  });
  return byEmail.length === 1 ? byEmail[0]! : null;
}

/**
 * The profile a user signs in with: among the active profiles of the groups they are a direct
 * member of, the lowest priority number wins (then the name, so the choice is stable).
 */
async function resolveProfileForUser(options: { tenantId: string; userId: string }): Promise<ActiveProfile | null> {
  const profiles = await db().authenticationProfile.findMany({
    where: { tenantId: options.tenantId, status: "ACTIVE", groups: { some: { group: { members: { some: { userId: options.userId } } } } } },
    select: { id: true, name: true, jacksonClientId: true, priority: true, protocol: true },
    orderBy: [{ priority: "asc" }, { nameKey: "asc" }],
    take: 1,
  });
  return profiles[0] ?? null;
}

function stateSecret() {
  return serverEnv().AUTH_SECRET;
}

function readStateToken(token: string | undefined): SsoState | null {
  return verifyToken<SsoState>(token, { secret: stateSecret(), purpose: STATE_PURPOSE });
}

async function authorize(options: {
  tenantId: string;
  slug: string;
  profile: ActiveProfile;
  mode: SsoState["mode"];
  accountId?: string;
}): Promise<StartResult> {
  const refuse = async (detail: string): Promise<StartResult> => {
    await recordSignInEvent({
      tenantId: options.tenantId,
      mode: options.mode,
      profileId: options.profile.id,
      profileName: options.profile.name,
      outcome: "REFUSED",
      reason: "idp_error",
      detail,
    });
    return { kind: "refused", reason: "idp_error", message: `The sign-in could not start: ${detail}` };
  };
  try {
    return await authorizeWithJackson(options);
  } catch (error) {
    // No Jackson error reaches the user as a 500: its refusals are shown and recorded as they are;
    // anything else (its database, a bug) is logged, and the refusal says so.
    const refusal =
      error instanceof MissingConnectionError || error instanceof JacksonAnswer ? { message: error.message } : jacksonRefusal(error);
    if (!refusal) logInternalError("SSO sign-in start", error);
    return refuse(refusal?.message ?? "the SSO service failed; the error has been logged.");
  }
}

async function authorizeWithJackson(options: {
  tenantId: string;
  slug: string;
  profile: ActiveProfile;
  mode: SsoState["mode"];
  accountId?: string;
}): Promise<StartResult> {
  const urls = ssoUrls(serverEnv().APP_URL);
  await alignConnectionUrls({
    jacksonClientId: options.profile.jacksonClientId,
    tenantId: options.tenantId,
    slug: options.slug,
    protocol: options.profile.protocol,
  });
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(24).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const { oauthController } = await jackson();
  const result = await oauthController.authorize({
    client_id: options.profile.jacksonClientId,
    response_type: "code",
    redirect_uri: urls.callbackUrl,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  const stateToken = signToken(
    {
      exp: Math.floor(Date.now() / 1000) + STATE_SECONDS,
      state,
      verifier,
      tenantId: options.tenantId,
      slug: options.slug,
      profileId: options.profile.id,
      mode: options.mode,
      ...(options.accountId ? { accountId: options.accountId } : {}),
    } satisfies SsoState,
    { secret: stateSecret(), purpose: STATE_PURPOSE },
  );
  if (result.authorize_form) return { kind: "form", html: result.authorize_form, stateToken };
  if (result.redirect_url) {
    // Jackson reports its own failures as a redirect to our callback with error=…
    if (result.redirect_url.startsWith(urls.callbackUrl)) {
      const detail = new URL(result.redirect_url).searchParams.get("error_description") ?? result.error ?? "SSO service error";
      throw new JacksonAnswer(detail);
    }
    return { kind: "redirect", url: result.redirect_url, stateToken };
  }
  throw new JacksonAnswer(result.error ?? "the SSO service gave no way to continue.");
}

/** Jackson answered with an error instead of throwing: shown and recorded like its refusals. */
class JacksonAnswer extends Error {}

/** The portal's start: from an email to the IdP of the user's group. */
export async function startPortalSignIn(options: { slug: string; email: string } & RequestInfo): Promise<StartResult> {
  const tenant = await db().tenant.findUnique({ where: { slug: options.slug }, select: { id: true, slug: true } });
  if (!tenant) return { kind: "refused", reason: "unknown_tenant", message: "This sign-in page does not exist." };
  const email = normalise(options.email);
  const base = { tenantId: tenant.id, email, ipAddress: options.ipAddress, userAgent: options.userAgent };
  const refuse = async (reason: RefusalReason, extra: { directoryUserId?: string } = {}): Promise<StartResult> => {
    await recordSignInEvent({ ...base, ...extra, outcome: "REFUSED", reason });
    return { kind: "refused", reason, message: refusalReasons[reason] };
  };
  const user = await findUserByIdentifier({ tenantId: tenant.id, identifier: email });
  if (!user) return refuse("unknown_user");
  if (!user.active) return refuse("deactivated", { directoryUserId: user.id });
  const profile = await resolveProfileForUser({ tenantId: tenant.id, userId: user.id });
  if (!profile) return refuse("no_profile", { directoryUserId: user.id });
  return authorize({ tenantId: tenant.id, slug: tenant.slug, profile, mode: "PORTAL" });
}

/** An admin's test sign-in with one profile (the console checked the admin's role). */
export async function startTestSignIn(options: { tenantId: string; profileId: string; accountId: string }): Promise<StartResult> {
  const profile = await db().authenticationProfile.findFirst({
    where: { tenantId: options.tenantId, id: options.profileId },
    select: { id: true, name: true, jacksonClientId: true, priority: true, protocol: true, tenant: { select: { slug: true } } },
  });
  if (!profile) return { kind: "refused", reason: "no_profile", message: "This authentication profile was not found." };
  return authorize({ tenantId: options.tenantId, slug: profile.tenant.slug, profile, mode: "TEST", accountId: options.accountId });
}

// ─── ACS ───────────────────────────────────────────────────────────────────

export type AcsResult =
  | { kind: "redirect"; url: string }
  | { kind: "signed-in"; slug: string; sessionToken: string }
  | { kind: "refused"; slug: string; reason: RefusalReason; message: string };

type AcsProfile = { id: string; name: string; jacksonClientId: string; allowIdpInitiated: boolean; status: AuthProfileStatus };

/**
 * The tenant's ACS: our checks on the raw response, then Jackson's (signature, InResponseTo
 * against the stored request, audience, time), then the replay guard on the response's IDs.
 * SP-initiated (RelayState is Jackson's state): on to the callback with Jackson's code.
 * IdP-initiated (any other RelayState, usually none): only for a profile that allows it; the code
 * is exchanged here and the user checked as the callback would.
 * A refusal of a response that names one of the tenant's IdPs is recorded every time; anything
 * else (not a SAML response, another issuer) at most once per client address and kind a minute.
 */
export async function handleAcs(options: { slug: string; SAMLResponse: string; RelayState: string } & RequestInfo): Promise<AcsResult> {
  const tenant = await db().tenant.findUnique({ where: { slug: options.slug }, select: { id: true, slug: true } });
  if (!tenant) return { kind: "refused", slug: options.slug, reason: "invalid_response", message: "Unknown organisation." };
  const urls = ssoUrls(serverEnv().APP_URL);
  const t = urls.tenant(tenant.slug);
  const solicited = (options.RelayState ?? "").startsWith(JACKSON_RELAY_STATE_PREFIX);
  const refuse = async (detail: string, issuer?: string, reason: RefusalReason = "invalid_response"): Promise<AcsResult> => {
    const profile = issuer
      ? await db().authenticationProfile.findFirst({
          where: { tenantId: tenant.id, idpEntityId: issuer },
          select: { id: true, name: true },
        })
      : null;
    const event = {
      tenantId: tenant.id,
      outcome: "REFUSED" as const,
      reason,
      detail,
      ipAddress: options.ipAddress,
      userAgent: options.userAgent,
    };
    if (profile) await recordSignInEvent({ ...event, profileId: profile.id, profileName: profile.name });
    else await recordUnattributedRefusal(event, issuer ? "unknown_issuer" : "malformed");
    return { kind: "refused", slug: tenant.slug, reason, message: `${refusalReasons[reason]} ${detail}` };
  };

  let guard;
  try {
    guard = checkSamlResponse(decodeSamlResponse(options.SAMLResponse), { acsUrl: t.acsUrl, audience: t.entityId, solicited });
  } catch (error) {
    if (error instanceof SamlResponseRefused) return refuse(error.message, error.issuer);
    throw error;
  }
  const profile: AcsProfile | null = await db().authenticationProfile.findFirst({
    where: { tenantId: tenant.id, idpEntityId: guard.issuer, protocol: "SAML" },
    select: { id: true, name: true, jacksonClientId: true, allowIdpInitiated: true, status: true },
  });
  if (!profile) return refuse(`No authentication profile of this organisation trusts the issuer ${guard.issuer}.`, guard.issuer);
  if (!solicited && !profile.allowIdpInitiated)
    return refuse(
      `The profile "${profile.name}" does not allow sign-in from the identity provider's dashboard (an unsolicited, IdP-initiated response); sign in at this organisation's sign-in page, or turn the option on in the profile.`,
      guard.issuer,
    );
  if (!solicited && profile.status !== "ACTIVE") return refuse(`The profile "${profile.name}" is disabled.`, guard.issuer);

  let result: { redirect_url?: string; error?: string; app_select_form?: string };
  try {
    await alignConnectionUrls({ jacksonClientId: profile.jacksonClientId, tenantId: tenant.id, slug: tenant.slug, protocol: "SAML" });
    const { oauthController } = await jackson();
    result = await oauthController.samlResponse({ SAMLResponse: options.SAMLResponse, RelayState: options.RelayState ?? "" });
  } catch (error) {
    // Jackson's refusals (bad signature, unknown certificate…) are what the admin needs to read in
    // the Sign-ins log; anything else (its database) is ours and stays in the server's log.
    const refusal = error instanceof MissingConnectionError ? { message: error.message } : jacksonRefusal(error);
    if (!refusal) logInternalError("SAML response check", error);
    return refuseJackson(refusal?.message || "The SSO service could not check the response; the error has been logged.");
  }
  if (!result.redirect_url || result.error) {
    return refuseJackson(result.error?.replace(/^access_denied - /, "") || "The SSO service refused the response.");
  }
  const redirect = new URL(result.redirect_url);
  if (redirect.origin + redirect.pathname !== urls.callbackUrl)
    return refuse("The SSO service answered with an unexpected redirect.", guard.issuer);

  // Single use: a response (and its assertion) is accepted once.
  const keys = [guard.responseId, guard.assertionId]
    .filter((id): id is string => Boolean(id))
    .map((id) => createHash("sha256").update(`${guard.issuer}|${id}`).digest("hex"));
  try {
    await db().$transaction(async (tx) => {
      await tx.ssoConsumedAssertion.deleteMany({ where: { expiresAt: { lt: new Date() } } });
      await tx.ssoConsumedAssertion.createMany({ data: keys.map((key) => ({ key, expiresAt: guard.replayUntil })) });
    });
  } catch (error) {
    if (isUniqueViolation(error)) return refuse("This SAML response was already used (replay).", guard.issuer);
    throw error;
  }
  if (solicited) return { kind: "redirect", url: redirect.toString() };
  return completeIdpInitiated({ tenant, profile, code: redirect.searchParams.get("code"), request: options });

  /** A signature that does not verify: say which certificate signed it when the response shows it. */
  async function refuseJackson(detail: string): Promise<AcsResult> {
    if (/signature|Invalid assertion/i.test(detail)) {
      const unknown = await describeUnknownSigner({
        samlResponseXml: decodeSamlResponse(options.SAMLResponse),
        jacksonClientId: profile!.jacksonClientId,
      });
      if (unknown) return refuse(unknown, guard!.issuer, "unknown_certificate");
    }
    return refuse(detail, guard!.issuer);
  }
}

/**
 * The end of an IdP-initiated sign-in: Jackson's code is exchanged here, with the connection's own
 * client secret (it never leaves the server, so no one else can redeem it), then the identity is
 * checked exactly as the callback checks an SP-initiated one.
 */
async function completeIdpInitiated(options: {
  tenant: { id: string; slug: string };
  profile: AcsProfile;
  code: string | null;
  request: RequestInfo;
}): Promise<AcsResult> {
  const { tenant, profile } = options;
  const base = {
    tenantId: tenant.id,
    mode: "PORTAL" as const,
    profileId: profile.id,
    profileName: profile.name,
    ipAddress: options.request.ipAddress,
    userAgent: options.request.userAgent,
  };
  const refused = async (reason: RefusalReason, detail?: string, extra: { email?: string; userId?: string } = {}): Promise<AcsResult> => {
    await recordSignInEvent({
      ...base,
      outcome: "REFUSED",
      reason,
      detail: detail ?? null,
      email: extra.email,
      directoryUserId: extra.userId,
    });
    return { kind: "refused", slug: tenant.slug, reason, message: detail ?? refusalReasons[reason] };
  };
  if (!options.code) return refused("idp_error", "The SSO service sent no authorization code.");
  let claims: Claims;
  try {
    const { oauthController, connectionAPIController } = await jackson();
    const [connection] = await connectionAPIController.getConnections({ clientID: profile.jacksonClientId });
    if (!connection) throw new MissingConnectionError();
    const token = await oauthController.token({
      code: options.code,
      grant_type: "authorization_code",
      client_id: connection.clientID,
      client_secret: connection.clientSecret,
      redirect_uri: ssoUrls(serverEnv().APP_URL).callbackUrl,
    });
    claims = (await oauthController.userInfo(token.access_token)) as unknown as Claims;
  } catch (e) {
    const refusal = e instanceof MissingConnectionError ? { message: e.message } : jacksonRefusal(e);
    if (!refusal) logInternalError("IdP-initiated sign-in", e);
    return refused(
      "idp_error",
      `The sign-in could not be completed: ${refusal?.message ?? "the SSO service failed; the error has been logged."}`,
    );
  }
  if (claims.requested?.tenant !== tenant.id)
    return refused("invalid_response", "The identity came from another connection than this organisation's profile.");
  const admitted = await admitIdentity({ tenantId: tenant.id, profileId: profile.id, claims });
  if (!admitted.ok) return refused(admitted.reason, admitted.detail, { email: admitted.email, userId: admitted.userId });
  await recordSignInEvent({
    ...base,
    outcome: "SUCCESS",
    email: admitted.identifier,
    directoryUserId: admitted.userId,
    detail: "Signed in from the identity provider's dashboard (IdP-initiated).",
  });
  return {
    kind: "signed-in",
    slug: tenant.slug,
    sessionToken: createPortalSessionToken({ tenantId: tenant.id, userId: admitted.userId, profileId: profile.id }),
  };
}

/**
 * Who may sign in, the same for every flow: a provisioned user of this tenant (not of another),
 * active, whose groups' profile is the one the response came through.
 */
async function admitIdentity(options: {
  tenantId: string;
  profileId: string;
  claims: Claims;
}): Promise<
  { ok: true; identifier: string; userId: string } | { ok: false; reason: RefusalReason; detail?: string; email?: string; userId?: string }
> {
  const identifier = (options.claims.email || options.claims.id || "").trim();
  if (!identifier) return { ok: false, reason: "no_identity" };
  const user = await findUserByIdentifier({ tenantId: options.tenantId, identifier });
  if (!user) {
    const elsewhere = await db().directoryUser.count({
      where: { tenantId: { not: options.tenantId }, OR: [{ userNameKey: userNameKey(identifier) }, { email: normalise(identifier) }] },
    });
    return { ok: false, reason: elsewhere > 0 ? "other_tenant" : "unknown_user", email: identifier };
  }
  if (!user.active) return { ok: false, reason: "deactivated", email: identifier, userId: user.id };
  const expected = await resolveProfileForUser({ tenantId: options.tenantId, userId: user.id });
  if (!expected) return { ok: false, reason: "no_profile", email: identifier, userId: user.id };
  if (expected.id !== options.profileId)
    return {
      ok: false,
      reason: "wrong_profile",
      detail: `${refusalReasons.wrong_profile} (${expected.name})`,
      email: identifier,
      userId: user.id,
    };
  return { ok: true, identifier, userId: user.id };
}

// ─── OIDC response ─────────────────────────────────────────────────────────

export type OidcResponseResult = { kind: "redirect"; url: string } | { kind: "refused"; message: string };

/**
 * Where an OpenID Provider sends the browser back (`/api/oauth/oidc`): Jackson checks the state
 * against its stored session, exchanges the provider's code (PKCE, nonce, ID token) and answers
 * with a redirect to our callback carrying its own code, or an OAuth error with our state, so
 * the callback records the refusal under the right tenant. Jackson throws only when it cannot
 * tie the answer to a sign-in it started (no or unknown state): nothing to record then.
 */
export async function handleOidcResponse(options: { query: URLSearchParams }): Promise<OidcResponseResult> {
  const callback = ssoUrls(serverEnv().APP_URL).callbackUrl;
  const refused = "This sign-in could not be matched to one started here (expired, replayed, or started in another browser).";
  if (!options.query.get("state")) return { kind: "refused", message: refused };
  const { oauthController } = await jackson();
  let redirectUrl: string | undefined;
  try {
    ({ redirect_url: redirectUrl } = await oauthController.oidcAuthzResponse(
      Object.fromEntries(options.query) as Parameters<typeof oauthController.oidcAuthzResponse>[0],
    ));
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) log().error(errorFields(error), "[sso] OIDC response");
    return { kind: "refused", message: refused };
  }
  if (!redirectUrl) return { kind: "refused", message: refused };
  const url = new URL(redirectUrl);
  if (url.origin + url.pathname !== callback) return { kind: "refused", message: "The SSO service answered with an unexpected redirect." };
  return { kind: "redirect", url: url.toString() };
}

// ─── Callback ──────────────────────────────────────────────────────────────

export type CallbackResult =
  | { kind: "signed-in"; slug: string; sessionToken: string }
  | { kind: "test"; slug: string; profileId: string; eventId: string }
  | { kind: "refused"; slug: string | null; reason: RefusalReason; message: string };

type Claims = {
  id?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  roles?: string[];
  groups?: string[];
  raw?: Record<string, unknown>;
  requested?: Record<string, string>;
};

export async function completeSignIn(
  options: { query: URLSearchParams; stateToken: string | undefined; currentAccountId?: string | null } & RequestInfo,
): Promise<CallbackResult> {
  const state = readStateToken(options.stateToken);
  const q = options.query;
  if (!state || !q.get("state") || q.get("state") !== state.state) {
    // Nothing ties this request to a sign-in we started: no tenant to record it under.
    return { kind: "refused", slug: state?.slug ?? null, reason: "invalid_state", message: refusalReasons.invalid_state };
  }
  const profile = await db().authenticationProfile.findFirst({
    where: { id: state.profileId, tenantId: state.tenantId },
    select: { id: true, name: true, jacksonClientId: true },
  });
  const base = {
    tenantId: state.tenantId,
    mode: state.mode,
    profileId: profile?.id ?? null,
    profileName: profile?.name ?? null,
    ipAddress: options.ipAddress,
    userAgent: options.userAgent,
  };
  const finish = async (
    outcome: "SUCCESS" | "REFUSED",
    data: { reason?: RefusalReason; detail?: string; email?: string | null; userId?: string | null; claims?: Claims | null },
  ): Promise<CallbackResult> => {
    const eventId = await recordSignInEvent({
      ...base,
      outcome,
      reason: data.reason ?? null,
      detail: data.detail ?? null,
      email: data.email ?? null,
      directoryUserId: data.userId ?? null,
      claims:
        state.mode === "TEST" && data.claims
          ? (JSON.parse(JSON.stringify({ ...data.claims, requested: undefined })) as Prisma.InputJsonValue)
          : null,
    });
    if (state.mode === "TEST") return { kind: "test", slug: state.slug, profileId: state.profileId, eventId: eventId.toString() };
    if (outcome === "REFUSED")
      return { kind: "refused", slug: state.slug, reason: data.reason!, message: data.detail ?? refusalReasons[data.reason!] };
    return {
      kind: "signed-in",
      slug: state.slug,
      sessionToken: createPortalSessionToken({ tenantId: state.tenantId, userId: data.userId!, profileId: state.profileId }),
    };
  };

  if (!profile) return finish("REFUSED", { reason: "idp_error", detail: "The authentication profile was deleted during the sign-in." });
  if (state.mode === "TEST" && (!options.currentAccountId || options.currentAccountId !== state.accountId)) {
    return {
      kind: "refused",
      slug: state.slug,
      reason: "invalid_state",
      message: "A test sign-in finishes only in the console session that started it.",
    };
  }
  const error = q.get("error");
  if (error) return finish("REFUSED", { reason: "idp_error", detail: (q.get("error_description") ?? error).slice(0, 500) });
  const code = q.get("code");
  if (!code) return finish("REFUSED", { reason: "idp_error", detail: "The SSO service sent no authorization code." });

  const { oauthController } = await jackson();
  let claims: Claims;
  try {
    const token = await oauthController.token({
      code,
      grant_type: "authorization_code",
      redirect_uri: ssoUrls(serverEnv().APP_URL).callbackUrl,
      code_verifier: state.verifier,
    });
    claims = (await oauthController.userInfo(token.access_token)) as unknown as Claims;
  } catch (e) {
    const refusal = jacksonRefusal(e);
    if (!refusal) logInternalError("OpenID Connect sign-in", e);
    return finish("REFUSED", {
      reason: "idp_error",
      detail: `The sign-in could not be completed: ${refusal?.message ?? "the SSO service failed; the error has been logged."}`,
    });
  }
  // The code must come from this profile's connection in this tenant.
  const requested = claims.requested ?? {};
  if (requested.client_id !== profile.jacksonClientId || (requested.tenant && requested.tenant !== state.tenantId)) {
    return finish("REFUSED", {
      reason: "invalid_response",
      detail: "The identity came from another connection than the one this sign-in started with.",
      claims,
    });
  }
  const admitted = await admitIdentity({ tenantId: state.tenantId, profileId: profile.id, claims });
  if (!admitted.ok)
    return finish("REFUSED", { reason: admitted.reason, detail: admitted.detail, email: admitted.email, userId: admitted.userId, claims });
  return finish("SUCCESS", { email: admitted.identifier, userId: admitted.userId, claims });
}
