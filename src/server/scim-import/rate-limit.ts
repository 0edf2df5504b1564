import { clientKey } from "../http/client-key";

/**
 * An in-process token bucket per tenant. One process serves a tenant's SCIM traffic in the
 * embedded deployment; with several processes each enforces its share, which is still a cap.
 */
export class TenantRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly limits: { perSecond: number; burst: number }) {}

  /** Takes one token; when none is left, returns the seconds to wait before retrying. */
  take(tenantId: string, now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const { perSecond, burst } = this.limits;
    const bucket = this.buckets.get(tenantId) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.buckets.set(tenantId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)) };
  }
}

export type FailedAuthLimits = { failures: number; windowSeconds: number; maxAddresses: number };

/**
 * Failed authentications per client, in fixed windows: once a client has failed `failures` times
 * in a window, it is refused for the rest of the window, before its token is even looked up.
 * Memory is bounded: past `maxAddresses` clients, the one whose window started first is forgotten.
 */
export class FailedAuthLimiter {
  /** In order of window start (a new window moves its client to the end). */
  private readonly windows = new Map<string, { startedAt: number; failures: number }>();

  constructor(private readonly limits: FailedAuthLimits) {}

  get trackedClients(): number {
    return this.windows.size;
  }

  check(address: string | null, now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const window = this.current(clientKey(address), now);
    if (!window || window.failures < this.limits.failures) return { ok: true };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((window.startedAt + this.limits.windowSeconds * 1000 - now) / 1000)) };
  }

  recordFailure(address: string | null, now = Date.now()): void {
    const key = clientKey(address);
    const window = this.current(key, now);
    if (window) {
      window.failures++;
      return;
    }
    this.windows.delete(key);
    while (this.windows.size >= this.limits.maxAddresses) this.windows.delete(this.windows.keys().next().value!);
    this.windows.set(key, { startedAt: now, failures: 1 });
  }

  private current(key: string, now: number) {
    const window = this.windows.get(key);
    return window && now - window.startedAt < this.limits.windowSeconds * 1000 ? window : undefined;
  }
}
