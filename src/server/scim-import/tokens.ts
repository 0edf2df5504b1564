import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { readUserExtensionSettings } from "@/lib/validation/scim-extensions";
import { serverEnv } from "../env";
import { type ResourceDef, userResourceFor } from "../scim";
import { findScimTokenOfSlug, storeScimToken, touchScimToken } from "../tenancy/scim-tokens";
import { ScimTokenCache, type CachedToken } from "../tenancy/scim-token-cache";

const TOKEN_PREFIX = "scim_";
/** lastUsedAt is written at most this often per token: a write per request would cost every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

const tokenCache = new ScimTokenCache(() => serverEnv().DATABASE_URL);

export function hashScimToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * Creates or replaces the tenant's SCIM token. The token is returned once and only its SHA-256 is
 * stored; replacing the row makes the old token fail on its very next request.
 */
export async function generateScimToken(options: { tenantId: string }): Promise<{ token: string; prefix: string; createdAt: Date }> {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const prefix = token.slice(0, TOKEN_PREFIX.length + 6);
  const tokenHash = hashScimToken(token);
  const row = await storeScimToken({ tenantId: options.tenantId, tokenHash, prefix });
  // The trigger tells every server; this process forgets before the caller even sees the token.
  tokenCache.forgetAll();
  return { token, prefix, createdAt: row.createdAt };
}

export type ScimTenant = { id: string; slug: string; userResource: ResourceDef };

const cacheKey = (slug: string, tokenHash: string) => `${slug}\n${tokenHash}`;

/**
 * The tenant a bearer token opens, or null. Unknown slug and wrong token are indistinguishable to
 * the caller (both null → 401). The hash comparison runs in constant time. Answers are remembered
 * while every token change is heard of (tenancy/scim-token-cache.ts); failures never are.
 */
export async function authenticateScimToken(options: { unverifiedSlug: string; token: string | null }): Promise<ScimTenant | null> {
  const { token } = options;
  if (!token || token.length > 512) return null;
  const presentedHash = hashScimToken(token);
  const key = cacheKey(options.unverifiedSlug, presentedHash);
  const found = tokenCache.get(key) ?? (await readToken(options.unverifiedSlug, presentedHash, key));
  if (!found) return null;
  if (Date.now() - found.lastUsedAt > LAST_USED_RESOLUTION_MS) {
    found.lastUsedAt = Date.now();
    await touchScimToken({ tokenId: found.tokenId, at: new Date(found.lastUsedAt) });
  }
  return { id: found.tenantId, slug: found.slug, userResource: found.userResource };
}

/**
 * Forgets every remembered token answer in this process at once (the database trigger tells the
 * other servers): after a change to what an answer carries, such as the tenant's extension settings.
 */
export function forgetScimTenants(): void {
  tokenCache.forgetAll();
}

/**
 * The tenant a token opens if this process has verified it lately (no database read), else null:
 * lets a client address that is refused for failed attempts keep serving tokens known to work.
 */
export function rememberedScimTenant(options: { unverifiedSlug: string; token: string | null }): ScimTenant | null {
  if (!options.token || options.token.length > 512) return null;
  const found = tokenCache.get(cacheKey(options.unverifiedSlug, hashScimToken(options.token)));
  return found ? { id: found.tenantId, slug: found.slug, userResource: found.userResource } : null;
}

async function readToken(slug: string, presentedHash: string, key: string): Promise<CachedToken | null> {
  const generation = tokenCache.begin();
  // One indexed query (tenant slug → its token row).
  const tenant = await findScimTokenOfSlug(slug);
  const stored = tenant?.tokenHash ? Buffer.from(tenant.tokenHash, "hex") : Buffer.alloc(32);
  const presented = Buffer.from(presentedHash, "hex");
  const equal = stored.length === presented.length && timingSafeEqual(stored, presented);
  if (!tenant?.tokenId || !equal) return null;
  const found: CachedToken = {
    tenantId: tenant.id,
    slug: tenant.slug,
    tokenId: tenant.tokenId,
    lastUsedAt: tenant.lastUsedAt?.getTime() ?? 0,
    userResource: userResourceFor(readUserExtensionSettings(tenant.scimUserExtensions)),
  };
  tokenCache.remember(key, found, generation);
  return found;
}

/** `Authorization: Bearer <token>` (scheme in any case, RFC 6750 §2.1). */
export function bearerToken(header: string | null): string | null {
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1] ?? null;
}
