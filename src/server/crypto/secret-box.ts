import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { serverEnv } from "../env";

/**
 * Secrets at rest (OIDC client secrets, SCIM Export target tokens): AES-256-GCM with the
 * 32-byte ENCRYPTION_KEY. The stored form is versioned so that the key or the algorithm can
 * change later without guessing what an old value is:
 *
 *   v1.<iv base64url>.<auth tag base64url>.<ciphertext base64url>
 *
 * `aad` binds a value to where it is stored (e.g. "auth-profile:<id>"): a ciphertext copied to
 * another row does not decrypt there.
 */
const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {}

function keyFrom(key: Buffer | undefined): Buffer {
  const k = key ?? Buffer.from(serverEnv().ENCRYPTION_KEY, "base64");
  if (k.length !== 32) throw new SecretBoxError("The encryption key must be 32 bytes.");
  return k;
}

export function encryptSecret(plaintext: string, options: { aad?: string; key?: Buffer } = {}): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyFrom(options.key), iv, { authTagLength: TAG_BYTES });
  if (options.aad) cipher.setAAD(Buffer.from(options.aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export function decryptSecret(stored: string, options: { aad?: string; key?: Buffer } = {}): string {
  const parts = stored.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretBoxError("Unknown secret format.");
  const [, ivText, tagText, dataText] = parts as [string, string, string, string];
  const iv = Buffer.from(ivText, "base64url");
  const tag = Buffer.from(tagText, "base64url");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretBoxError("Malformed secret.");
  const decipher = createDecipheriv("aes-256-gcm", keyFrom(options.key), iv, { authTagLength: TAG_BYTES });
  if (options.aad) decipher.setAAD(Buffer.from(options.aad, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(Buffer.from(dataText, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretBoxError("The secret could not be decrypted (wrong key, wrong context or tampered value).");
  }
}
