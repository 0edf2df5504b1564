import { DEFAULT_BULK_LIMITS, type BulkLimits } from "../scim";

/** The limits SCIM Import advertises in /ServiceProviderConfig and enforces. */
export type ScimImportConfig = {
  /** Largest request body, in bytes; larger is a 413 (RFC 7644 §3.7.4 for /Bulk; the same cap for every request). */
  maxPayloadBytes: number;
  bulk: BulkLimits;
  /** Largest page a list returns (filter.maxResults); larger `count` is lowered to it. */
  maxResults: number;
  /** Page size when the client sends no `count`. */
  defaultCount: number;
  /** Per-tenant token bucket: sustained requests per second and burst size. */
  rateLimit: { perSecond: number; burst: number };
};

/**
 * Generous defaults: one tenant's IdP pushing 20,000 users with 8 parallel clients stays well
 * under them, while a runaway client is slowed down with 429 + Retry-After instead of starving
 * other tenants.
 */
export const DEFAULT_SCIM_IMPORT_CONFIG: ScimImportConfig = {
  maxPayloadBytes: DEFAULT_BULK_LIMITS.maxPayloadSize,
  bulk: DEFAULT_BULK_LIMITS,
  maxResults: 1000,
  defaultCount: 100,
  rateLimit: { perSecond: 2000, burst: 4000 },
};
