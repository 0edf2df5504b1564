import { DEFAULT_BULK_LIMITS, type BulkLimits } from "../scim";
import { serverEnv } from "../env";
import type { FailedAuthLimits } from "./rate-limit";

/** The limits SCIM Import advertises in /ServiceProviderConfig and enforces. */
export type ScimImportConfig = {
  /** Largest request body, in bytes; larger is a 413 (RFC 7644 §3.7.4 for /Bulk; the same cap for every request). */
  maxPayloadBytes: number;
  bulk: BulkLimits;
  /** Largest page a list returns (filter.maxResults); larger `count` is lowered to it. */
  maxResults: number;
  /** Page size when the client sends no `count`. */
  defaultCount: number;
  /** Per-tenant token bucket on each instance: sustained requests per second and burst size. */
  rateLimit: { perSecond: number; burst: number };
  /** Failed authentications per client address (IPv6: per /64) and window, before 429 for the rest of the window. */
  failedAuthLimit: FailedAuthLimits;
};

/**
 * Defaults that bite before the server is overloaded: one instance serves a few thousand light
 * requests per second across all tenants (bench:scim-import), so one tenant gets 100 per second
 * with bursts of 200. Okta and Entra ID slow down and retry on 429 with Retry-After, and Entra
 * provisions far slower than this anyway. SCIM_RATE_LIMIT changes the tenant limit.
 */
export const DEFAULT_SCIM_IMPORT_CONFIG: ScimImportConfig = {
  maxPayloadBytes: DEFAULT_BULK_LIMITS.maxPayloadSize,
  bulk: DEFAULT_BULK_LIMITS,
  maxResults: 1000,
  defaultCount: 100,
  rateLimit: { perSecond: 100, burst: 200 },
  failedAuthLimit: { failures: 20, windowSeconds: 60, maxAddresses: 10_000 },
};

/** The defaults with the server's settings applied (SCIM_RATE_LIMIT). */
export function scimImportConfig(): ScimImportConfig {
  return { ...DEFAULT_SCIM_IMPORT_CONFIG, rateLimit: serverEnv().SCIM_RATE_LIMIT ?? DEFAULT_SCIM_IMPORT_CONFIG.rateLimit };
}
