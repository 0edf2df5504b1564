/**
 * Turns a target's answer into a sentence that tells the admin what happened and what to do.
 */
import type { ScimResponse, TransportError } from "./scim-client";

export function scimDetail(body: unknown): string | null {
  if (body && typeof body === "object") {
    const b = body as { detail?: unknown; message?: unknown; error?: unknown };
    const value = b.detail ?? b.message ?? b.error;
    if (typeof value === "string") return value.slice(0, 500);
  }
  return typeof body === "string" && body ? body.slice(0, 300) : null;
}

export function explainStatus(response: ScimResponse, what: string): string {
  const detail = scimDetail(response.body);
  const said = detail ? ` The target said: "${detail}"` : "";
  switch (true) {
    case response.status === 400:
      return `The target refused ${what} as invalid (400).${said} Check the mapping of the attributes named in the message.`;
    case response.status === 401:
      return `The target refused the Secret Token (401).${said} Generate a new token in the application and save it on the Configuration tab.`;
    case response.status === 403:
      return `The token is not allowed to do this (403).${said} Use a token of an admin (or a service principal with the admin role).`;
    case response.status === 404:
      return `The target does not know ${what} (404).${said} It may have been deleted there; the next sync recreates it.`;
    case response.status === 409:
      return `${what} already exists on the target (409).${said}`;
    case response.status === 429:
      return `The target kept rate-limiting us (429) after several retries.${said} The next sync retries; lower the requests per second if this repeats.`;
    case response.status >= 500:
      return `The target failed (${response.status}) after several retries.${said} The next sync retries automatically.`;
    default:
      return `The target answered ${response.status} for ${what}.${said}`;
  }
}

export function explainTransport(error: TransportError): string {
  switch (error.kind) {
    case "BLOCKED":
      return "The Tenant URL points to a private, loopback or link-local address, which the console does not call.";
    case "TLS":
      return `The secure connection failed (${error.code ?? "TLS"}): the target's certificate is not valid for this host. Check the Tenant URL.`;
    case "TIMEOUT":
      return "The target did not answer in time, after several retries. The next sync retries automatically.";
    case "RESET":
      return "The target kept closing the connection, after several retries. The next sync retries automatically.";
    default:
      return `The target could not be reached (${error.code ?? "network error"}). Check the Tenant URL and that the application is online.`;
  }
}
