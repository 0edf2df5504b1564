import { describe, expect, it } from "vitest";
import { clientKey } from "../http/client-key";
import { FailedAuthLimiter, TenantRateLimiter } from "./rate-limit";

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

describe("FailedAuthLimiter", () => {
  const limits = { failures: 3, windowSeconds: 60, maxAddresses: 100 };

  it("refuses an address after its failures for the rest of the window, with the seconds left", () => {
    const limiter = new FailedAuthLimiter(limits);
    for (let i = 0; i < 3; i++) {
      expect(limiter.check("198.51.100.1", 1000).ok).toBe(true);
      limiter.recordFailure("198.51.100.1", 1000);
    }
    expect(limiter.check("198.51.100.1", 1000)).toEqual({ ok: false, retryAfterSeconds: 60 });
    expect(limiter.check("198.51.100.1", 50_500)).toEqual({ ok: false, retryAfterSeconds: 11 });
    expect(limiter.check("198.51.100.2", 1000).ok).toBe(true);
    // A new window starts afresh.
    expect(limiter.check("198.51.100.1", 61_000).ok).toBe(true);
    limiter.recordFailure("198.51.100.1", 61_000);
    expect(limiter.check("198.51.100.1", 61_000).ok).toBe(true);
  });

  it("counts an IPv6 client by its /64 and an IPv4-mapped address as the IPv4 address", () => {
    const limiter = new FailedAuthLimiter({ ...limits, failures: 2 });
    limiter.recordFailure("2001:db8:1:2::1", 0);
    limiter.recordFailure("2001:db8:1:2:aaaa:bbbb:cccc:dddd", 0);
    expect(limiter.check("2001:0db8:0001:0002::ffff", 0).ok).toBe(false);
    expect(limiter.check("2001:db8:1:3::1", 0).ok).toBe(true);
    limiter.recordFailure("::ffff:192.0.2.1", 0);
    limiter.recordFailure("192.0.2.1", 0);
    expect(limiter.check("192.0.2.1", 0).ok).toBe(false);
  });

  it("tracks at most maxAddresses clients under a flood of addresses, forgetting the oldest first", () => {
    const limiter = new FailedAuthLimiter({ failures: 1, windowSeconds: 60, maxAddresses: 1000 });
    for (let i = 0; i < 100_000; i++) limiter.recordFailure(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, i);
    expect(limiter.trackedClients).toBe(1000);
    expect(limiter.check("10.0.0.0", 100_000).ok).toBe(true);
    expect(limiter.check(`10.1.134.159`, 100_000).ok).toBe(false); // the last of the flood (99,999)
  });
});

describe("clientKey", () => {
  it.each([
    [null, "unknown"],
    ["203.0.113.5", "203.0.113.5"],
    ["::ffff:203.0.113.5", "203.0.113.5"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["2001:db8:a:b:c:d:e:f", "2001:db8:a:b::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["64:ff9b::192.0.2.1", "64:ff9b:0:0::/64"],
  ])("%s → %s", (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});
