import { storedTokenMayGoTo, TOKEN_NEEDED_FOR_ANOTHER_HOST } from "@/lib/validation/scim-export";
import { decryptSecret, encryptSecret } from "../crypto/secret-box";
import { AppError } from "../errors";

/** The AAD binds a token's ciphertext to its profile: copied to another row, it does not decrypt. */
const aad = (profileId: string) => `export-profile:${profileId}`;

export function sealToken(profileId: string, token: string): { tokenCiphertext: string; tokenLast4: string; tokenUpdatedAt: Date } {
  return { tokenCiphertext: encryptSecret(token, { aad: aad(profileId) }), tokenLast4: token.slice(-4), tokenUpdatedAt: new Date() };
}

export function openToken(profileId: string, tokenCiphertext: string): string {
  return decryptSecret(tokenCiphertext, { aad: aad(profileId) });
}

type StoredCredentials = { baseUrl: string | null; tokenCiphertext: string | null };

/**
 * Whether the stored token may be sent to `targetUrl`: only to the origin (scheme, host, port) it
 * was saved with. Another origin may be a typo or someone else's server, and whoever can edit the
 * form must not be able to send the token there without knowing it; a new path on the same origin
 * (workspace → account URL) keeps it. Throws the form error on `token` otherwise.
 */
export function assertStoredTokenMayGoTo(stored: StoredCredentials, targetUrl: string): void {
  if (!stored.tokenCiphertext) return;
  if (!storedTokenMayGoTo(stored.baseUrl, targetUrl)) throw new AppError("BAD_REQUEST", TOKEN_NEEDED_FOR_ANOTHER_HOST, { field: "token" });
}

/** The stored token for a request to `targetUrl` (see assertStoredTokenMayGoTo), or null when none is stored. */
export function storedTokenFor(profile: StoredCredentials & { id: string }, targetUrl: string): string | null {
  if (!profile.tokenCiphertext) return null;
  assertStoredTokenMayGoTo(profile, targetUrl);
  return openToken(profile.id, profile.tokenCiphertext);
}
