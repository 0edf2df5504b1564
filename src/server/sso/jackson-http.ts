/**
 * OAuth 2.0 error answers for Jackson's endpoints as the app serves them: a JSON body
 * `{error, error_description}` (RFC 6749 §5.2), never a 500 for a caller's mistake. Jackson's
 * refusals (JacksonError, 4xx) keep their message; anything else is a server error whose details
 * stay in the log.
 */
import { INTERNAL_ERROR_MESSAGE, logInternalError } from "../http/internal-error";

export type OAuthEndpoint = "authorize" | "token" | "userinfo";

class OAuthRequestError extends Error {
  constructor(
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

function oauthJson(status: number, error: string, description: string, headers: Record<string, string> = {}) {
  return Response.json({ error, error_description: description }, { status, headers: { "cache-control": "no-store", ...headers } });
}

/** A refusal Jackson raised on purpose: a JacksonError with a 4xx status, its message written for the caller. */
export function jacksonRefusal(error: unknown): { status: number; message: string } | null {
  if (!(error instanceof Error) || error.name !== "JacksonError") return null;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === "number" && status >= 400 && status < 500 ? { status, message: error.message || "Bad request" } : null;
}

export function oauthError(error: unknown, endpoint: OAuthEndpoint): Response {
  if (error instanceof OAuthRequestError) {
    return endpoint === "userinfo" ? bearerError(error.message) : oauthJson(400, error.error, error.message);
  }
  const refusal = jacksonRefusal(error);
  if (!refusal) {
    // Anything else (Jackson's database, a bug) is ours: the message may hold internals.
    logInternalError(`OAuth ${endpoint}`, error);
    return oauthJson(500, "server_error", INTERNAL_ERROR_MESSAGE);
  }
  const { status, message } = refusal;
  if (endpoint === "userinfo") return bearerError(message);
  if (endpoint === "token") {
    if (status === 401) return oauthJson(401, "invalid_client", message);
    if (/grant_type/i.test(message)) return oauthJson(400, "unsupported_grant_type", message);
    if (/redirect_uri|client_id|code_verifier|missing/i.test(message) && !/code\b.*(invalid|expired)/i.test(message))
      return oauthJson(400, "invalid_request", message);
    return oauthJson(400, "invalid_grant", message);
  }
  // Authorize: the client or redirect URI could not be trusted, so no redirect (RFC 6749 §4.1.2.1).
  return oauthJson(400, status === 401 || status === 403 ? "unauthorized_client" : "invalid_request", message);
}

/** RFC 6750 §3.1: a missing or bad access token. */
export function bearerError(description = "The access token is missing or not valid.") {
  return oauthJson(401, "invalid_token", description, { "www-authenticate": `Bearer error="invalid_token"` });
}

/** A form body (application/x-www-form-urlencoded or multipart), as OAuth requests are sent. */
export async function readForm(request: Request): Promise<Record<string, string>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/application\/x-www-form-urlencoded|multipart\/form-data/i.test(type)) {
    throw new OAuthRequestError("invalid_request", "Send the parameters as an application/x-www-form-urlencoded body.");
  }
  const form = await request.formData().catch(() => {
    throw new OAuthRequestError("invalid_request", "The request body could not be read as a form.");
  });
  return Object.fromEntries([...form.entries()].filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}
