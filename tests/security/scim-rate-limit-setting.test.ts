/**
 * Issue 13, item 10: SCIM Import's per-tenant limit is a setting, SCIM_RATE_LIMIT
 * ("<requests>/s,burst=<n>", per tenant and instance); unset, it bites before overload (100/s,
 * bursts of 200). A malformed value is refused at start with a message that shows the format.
 */
import { afterEach, describe, expect, it, vi } from "vitest";

const valid: Record<string, string | undefined> = {
  DATABASE_URL: "postgresql://localhost:5432/app",
  AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  APP_URL: "https://console.example.com",
  INNGEST_EVENT_KEY: undefined,
  INNGEST_SIGNING_KEY: undefined,
  INNGEST_DEV: undefined,
};

/** Fresh modules (serverEnv caches) with this SCIM_RATE_LIMIT. */
async function withSetting(value: string | undefined) {
  for (const [name, v] of Object.entries({ ...valid, SCIM_RATE_LIMIT: value })) vi.stubEnv(name, v);
  vi.resetModules();
  return { env: await import("@/server/env"), config: await import("@/server/scim-import/config") };
}

afterEach(() => vi.unstubAllEnvs());

describe("SCIM_RATE_LIMIT", () => {
  it("unset: 100 requests/s per tenant with bursts of 200, and 20 failed authentications per address and minute", async () => {
    const { config } = await withSetting(undefined);
    expect(config.scimImportConfig().rateLimit).toEqual({ perSecond: 100, burst: 200 });
    expect(config.scimImportConfig().failedAuthLimit).toMatchObject({ failures: 20, windowSeconds: 60 });
  });

  it.each([
    ["5/s,burst=10", { perSecond: 5, burst: 10 }],
    [" 0.5/s, burst=1 ", { perSecond: 0.5, burst: 1 }],
    ["1000000/S,BURST=1000000", { perSecond: 1_000_000, burst: 1_000_000 }],
  ])("%s sets the tenant limit", async (value, limit) => {
    const { config } = await withSetting(value);
    expect(config.scimImportConfig().rateLimit).toEqual(limit);
  });

  it.each(["100", "100/s", "100/m,burst=5", "0/s,burst=10", "10/s,burst=0", "fast"])(
    "%s is refused at start with the expected format",
    async (value) => {
      const { env } = await withSetting(value);
      expect(() => env.serverEnv()).toThrow(env.InvalidEnvError);
      expect(() => env.serverEnv()).toThrow(/SCIM_RATE_LIMIT.*100\/s,burst=200/);
    },
  );
});
