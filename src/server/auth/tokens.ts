import { createHash, randomBytes } from "node:crypto";

/** A random secret for links and API tokens: 32 bytes, URL-safe. */
export function generateToken(prefix = ""): string {
  return prefix + randomBytes(32).toString("base64url");
}

/** Tokens are stored as SHA-256: they are long and random, so no salt or stretching is needed. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
