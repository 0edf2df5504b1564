import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Compact HMAC-SHA256 tokens for cookies (the end-user portal session, the SSO state):
 * `<base64url JSON payload>.<base64url MAC>`. `purpose` is mixed into the key so a token made
 * for one cookie is never accepted as another. `exp` (seconds since epoch) is always checked.
 */
export type SignedPayload = { exp: number } & Record<string, unknown>;

function mac(secret: string, purpose: string, body: string): Buffer {
  const key = createHmac("sha256", secret).update(`lifecycle-console:${purpose}`).digest();
  return createHmac("sha256", key).update(body).digest();
}

export function signToken(payload: SignedPayload, options: { secret: string; purpose: string }): string {
  const body = Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
  return `${body}.${mac(options.secret, options.purpose, body).toString("base64url")}`;
}

export function verifyToken<T extends SignedPayload>(
  token: string | undefined | null,
  options: { secret: string; purpose: string; now?: number },
): T | null {
  if (!token || token.length > 8192) return null;
  const dot = token.indexOf(".");
  if (dot <= 0 || dot !== token.lastIndexOf(".")) return null;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), "base64url");
  const expected = mac(options.secret, options.purpose, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!payload || typeof payload !== "object" || typeof (payload as SignedPayload).exp !== "number") return null;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if ((payload as SignedPayload).exp <= now) return null;
  return payload as T;
}
