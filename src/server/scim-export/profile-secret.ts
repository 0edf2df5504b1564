import { decryptSecret, encryptSecret } from "../crypto/secret-box";

/** The AAD binds a token's ciphertext to its profile: copied to another row, it does not decrypt. */
const aad = (profileId: string) => `export-profile:${profileId}`;

export function sealToken(profileId: string, token: string): { tokenCiphertext: string; tokenLast4: string; tokenUpdatedAt: Date } {
  return { tokenCiphertext: encryptSecret(token, { aad: aad(profileId) }), tokenLast4: token.slice(-4), tokenUpdatedAt: new Date() };
}

export function openToken(profileId: string, tokenCiphertext: string): string {
  return decryptSecret(tokenCiphertext, { aad: aad(profileId) });
}
