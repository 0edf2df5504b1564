import { createHash } from "node:crypto";
import { zTestConnectionInput } from "@/lib/validation/scim-export";
import { db } from "../db";
import { ScimClient, TransportError } from "./client/scim-client";
import { scimDetail } from "./client/explain";
import { listQueryString, parseListResponse } from "../scim";
import { storedTokenFor } from "./profile-secret";
import { requireProfile, isWorkspaceUrl, type ProfileScoped } from "./profiles";
import { allowPrivateTargets } from "./settings";
import { checkTargetUrl } from "../net/url-guard";
import type { ConnectionResult, ConnectionKind } from "./types";

const result = (
  kind: ConnectionKind,
  message: string,
  httpStatus: number | null = null,
  detail: string | null = null,
): ConnectionResult => ({
  ok: kind === "OK",
  kind,
  message,
  httpStatus,
  detail,
  checkedAt: new Date(),
});

const URL_HINT =
  "It should be the SCIM base URL, e.g. https://<workspace>.cloud.databricks.com/api/2.0/preview/scim/v2 (workspace) or https://accounts.cloud.databricks.com/api/2.0/accounts/<account id>/scim/v2 (account).";

/** Calls the target once (GET /Users, count 1) and explains the outcome in one sentence. */
async function checkConnection(baseUrl: string, token: string, type: "DATABRICKS" | "SCIM"): Promise<ConnectionResult> {
  const guard = await checkTargetUrl(baseUrl);
  if (!guard.ok) return result("BLOCKED_URL", guard.message);
  const client = new ScimClient({
    baseUrl,
    token,
    allowPrivate: allowPrivateTargets(),
    timeoutMs: 10_000,
    maxAttempts: 2,
    backoffBaseMs: 300,
  });
  let response;
  try {
    response = await client.request("GET", `/Users?${listQueryString({ startIndex: 1, count: 1 })}`);
  } catch (error) {
    if (!(error instanceof TransportError)) throw error;
    switch (error.kind) {
      case "BLOCKED":
        return result(
          "BLOCKED_URL",
          "The Tenant URL resolves to a private, loopback or link-local address, which the console does not call.",
        );
      case "TLS":
        return result(
          "TLS",
          `The secure connection failed: the certificate is not valid for this host (${error.code ?? "TLS error"}). Check the host name in the Tenant URL.`,
        );
      case "TIMEOUT":
        return result(
          "TIMEOUT",
          "The application did not answer within 10 seconds. Check the Tenant URL and that the application is online.",
        );
      default:
        return result(
          "UNREACHABLE",
          `The application could not be reached (${error.code ?? "network error"}). Check the host name in the Tenant URL.`,
        );
    }
  }
  const detail = scimDetail(response.body);
  if (response.status === 401)
    return result(
      "UNAUTHORIZED",
      "The Secret Token was refused (401). Generate a new token in the application's admin settings and paste it here.",
      401,
      detail,
    );
  if (response.status === 403)
    return result(
      "FORBIDDEN",
      "The Secret Token is valid but may not manage users (403). Use a token of an admin or of a service principal with the admin role.",
      403,
      detail,
    );
  if (response.status === 404) return result("NOT_FOUND", `Nothing answers at this URL (404). ${URL_HINT}`, 404, detail);
  if (response.status === 429)
    return result(
      "RATE_LIMITED",
      "The application is rate-limiting requests right now (429). The URL and token look right; try again in a minute.",
      429,
      detail,
    );
  if (response.status >= 500)
    return result("SERVER_ERROR", `The application failed to answer (${response.status}). Try again later.`, response.status, detail);
  const page = parseListResponse(response.body);
  if (response.status !== 200 || (!page.isListResponse && page.totalResults === undefined)) {
    return result("NOT_SCIM", `The URL answered (${response.status}) but not as a SCIM 2.0 API. ${URL_HINT}`, response.status, null);
  }
  const total = page.totalResults ?? null;
  const where =
    type === "DATABRICKS" ? (isWorkspaceUrl(baseUrl) ? "Databricks workspace SCIM API" : "Databricks account SCIM API") : "SCIM 2.0 API";
  return result(
    "OK",
    `Connected: the ${where} accepted the token.`,
    200,
    total === null ? where : `${where}, ${total} user${total === 1 ? "" : "s"} on the target`,
  );
}

/**
 * Test Connection, with the unsaved form values when given (an empty token means the stored one,
 * which only goes to the origin it was saved with: BAD_REQUEST on `token` otherwise).
 * Only a test of the saved URL and token is kept as the profile's `lastConnection`: a result for
 * values that were never saved says nothing about the profile (see lastConnectionOf).
 */
export async function testExportConnection(
  options: ProfileScoped & { input?: { baseUrl?: string; token?: string } },
): Promise<ConnectionResult> {
  const input = zTestConnectionInput.parse(options.input ?? {});
  const profile = await requireProfile(options, { id: true, type: true, baseUrl: true, tokenCiphertext: true });
  const baseUrl = input.baseUrl || profile.baseUrl;
  if (!baseUrl) return result("INVALID_URL", "Enter the Tenant URL first.");
  const stored = !input.token || baseUrl !== profile.baseUrl ? null : storedTokenFor(profile, baseUrl);
  const token = input.token || storedTokenFor(profile, baseUrl);
  if (!token) return result("NO_TOKEN", "Enter the Secret Token first.");
  const outcome = await checkConnection(baseUrl, token, profile.type);
  const testedSaved = baseUrl === profile.baseUrl && profile.tokenCiphertext !== null && (!input.token || input.token === stored);
  if (testedSaved) {
    const kept: StoredConnection = { ...outcome, testedFor: credentialsFingerprint(profile) };
    await db().exportProfile.update({ where: { id: profile.id }, data: { lastConnection: kept }, select: { id: true } });
  }
  return outcome;
}

/** A kept result, with what it was a result for. */
type StoredConnection = Omit<ConnectionResult, "checkedAt"> & { checkedAt: Date | string; testedFor?: string };

/** Which URL and token a result was for: the saved URL and the token's ciphertext (a new token, even the same one saved again, is a new ciphertext). */
function credentialsFingerprint(profile: { baseUrl: string | null; tokenCiphertext: string | null }): string {
  return createHash("sha256")
    .update(`${profile.baseUrl ?? ""}\n${profile.tokenCiphertext ?? ""}`)
    .digest("base64url");
}

/**
 * The profile's last Test Connection result, only while the URL and token it tested are still the
 * saved ones: after either changes, "Connection succeeded" would claim something nobody checked.
 */
export function lastConnectionOf(profile: {
  baseUrl: string | null;
  tokenCiphertext: string | null;
  lastConnection: unknown;
}): ConnectionResult | null {
  const kept = profile.lastConnection as StoredConnection | null;
  if (!kept || kept.testedFor !== credentialsFingerprint(profile)) return null;
  const { testedFor: _for, ...shown } = kept;
  return { ...shown, checkedAt: new Date(kept.checkedAt) };
}
