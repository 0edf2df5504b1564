import { describe, expect, it } from "vitest";
import { TenantRateLimiter } from "./rate-limit";

describe("TenantRateLimiter", () => {
  it("allows the burst, then refuses with Retry-After, then refills over time", () => {
    const limiter = new TenantRateLimiter({ perSecond: 1, burst: 2 });
    expect(limiter.take("a", 0).ok).toBe(true);
    expect(limiter.take("a", 0).ok).toBe(true);
    expect(limiter.take("a", 0)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take("a", 1000).ok).toBe(true);
  });

  it("keeps one bucket per tenant", () => {
    const limiter = new TenantRateLimiter({ perSecond: 1, burst: 1 });
    expect(limiter.take("a", 0).ok).toBe(true);
    expect(limiter.take("a", 0).ok).toBe(false);
    expect(limiter.take("b", 0).ok).toBe(true);
  });
});
