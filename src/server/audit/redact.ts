/**
 * Secrets never reach the audit log: values under these keys (any depth, any case) are replaced.
 * Declared, not guessed: a new secret field is added here, and redact.test.ts lists the known ones.
 */
const SECRET_FIELDS = [
  "token",
  "tokenHash",
  "secretToken",
  "tokenEncrypted",
  "password",
  "passwordHash",
  "clientSecret",
  "clientSecretEncrypted",
  "privateKey",
  "secret",
  "authorization",
] as const;

const SECRET_KEYS = new Set(SECRET_FIELDS.map((f) => f.toLowerCase()));
export const REDACTED = "[redacted]";

/** `value` as JSON with every secret field's value replaced by "[redacted]" (absent ones stay absent). */
export function redactSecrets(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner === undefined) continue;
    out[key] = SECRET_KEYS.has(key.toLowerCase()) && inner !== null && inner !== "" ? REDACTED : redactSecrets(inner);
  }
  return out;
}
