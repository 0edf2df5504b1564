import { BoundedWindows } from "../http/bounded-windows";
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
 */
export class FailedAuthLimiter {
  private readonly windows: BoundedWindows<{ failures: number }>;

  constructor(private readonly limits: FailedAuthLimits) {
    this.windows = new BoundedWindows({ windowSeconds: limits.windowSeconds, maxKeys: limits.maxAddresses });
  }

  get trackedClients(): number {
    return this.windows.size;
  }

  check(address: string | null, now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    // Every SCIM request asks: with no failure anywhere, there is no key to compute.
    if (this.windows.size === 0) return { ok: true };
    const window = this.windows.current(clientKey(address), now);
    if (!window || window.state.failures < this.limits.failures) return { ok: true };
    return { ok: false, retryAfterSeconds: this.windows.secondsLeft(window, now) };
  }

  recordFailure(address: string | null, now = Date.now()): void {
    const key = clientKey(address);
    const window = this.windows.current(key, now);
    if (window) window.state.failures++;
    else this.windows.open(key, { failures: 1 }, now);
  }
}
