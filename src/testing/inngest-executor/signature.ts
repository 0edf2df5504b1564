/**
 * Request signing as Inngest's open-source SDK specification defines it (docs/SDK_SPEC.md in
 * inngest/inngest, §4.1.3 and §4.1.4):
 * - X-Inngest-Signature: `t=<unix seconds>&s=<hex HMAC-SHA256 of (body + t)>`, keyed with the
 *   signing key without its `signkey-<env>-` prefix. The SDK parses a JSON body and signs its
 *   JSON Canonicalization Scheme form (RFC 8785), so bodies are sent canonical.
 * - Requests from the SDK (sync) carry `Authorization: Bearer signkey-<env>-<hex SHA-256 of the
 *   key's bytes>`.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

const PREFIX = /^signkey-[\w]+-/;

function withoutPrefix(signingKey: string): string {
  return signingKey.replace(PREFIX, "");
}

/** The bearer token the SDK sends: the prefix kept, the hex key hashed as bytes. */
export function hashedSigningKey(signingKey: string): string {
  const prefix = PREFIX.exec(signingKey)?.[0] ?? "";
  return (
    prefix +
    createHash("sha256")
      .update(Buffer.from(withoutPrefix(signingKey), "hex"))
      .digest("hex")
  );
}

function signatureOf(body: string, signingKey: string, unixSeconds: number): string {
  return createHmac("sha256", withoutPrefix(signingKey))
    .update(body + String(unixSeconds))
    .digest("hex");
}

/** The X-Inngest-Signature value for a body sent now. */
export function signatureHeader(body: string, signingKey: string, now = Date.now()): string {
  const t = Math.round(now / 1000);
  return `t=${t}&s=${signatureOf(body, signingKey, t)}`;
}

/** Checks an X-Inngest-Signature (an answer of the SDK): right key, at most `maxAgeMs` old. */
export function verifySignatureHeader(
  header: string | null,
  body: string,
  signingKey: string,
  now = Date.now(),
  maxAgeMs = 5 * 60_000,
): boolean {
  if (!header) return false;
  const params = new URLSearchParams(header);
  const t = Number(params.get("t"));
  const s = params.get("s") ?? "";
  if (!Number.isFinite(t) || Math.abs(now - t * 1000) > maxAgeMs) return false;
  const expected = Buffer.from(signatureOf(body, signingKey, t));
  const given = Buffer.from(s);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** RFC 8785 for JSON data: object keys sorted by UTF-16 code units, ECMAScript number and string forms. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}
