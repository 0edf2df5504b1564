/**
 * Issue 13, item 10: SCIM Import's rate limits bite, through the real route.
 * - Per tenant (per instance), by default 100 requests/s sustained with a burst of 200
 *   (SCIM_RATE_LIMIT): two bursts of 500 requests see 429s.
 * - Per client address, failed authentications (no, unknown or revoked token, unknown tenant):
 *   after 20 in a minute the address gets 429 for the rest of the minute, before any token is
 *   looked up; other addresses are unaffected.
 * Every 429 carries Retry-After and SCIM's error body.
 */
import { describe, expect, it } from "vitest";
import * as route from "@/app/api/scim/v2/[tenant]/[[...path]]/route";
import { newScimTenant, scimClient, type ScimReply } from "@/testing/factories/scim-import";

const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

function expectScimTooManyRequests(reply: ScimReply) {
  expect(reply.status).toBe(429);
  expect(Number(reply.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
  expect(reply.headers.get("Content-Type")).toMatch(/^application\/scim\+json/);
  expect(reply.body).toMatchObject({ schemas: [ERROR], status: "429", detail: expect.stringMatching(/retry/i) });
}

describe("per-tenant rate limit (default setting)", () => {
  it("two bursts of 500 requests both see 429s with Retry-After in SCIM's error format", async () => {
    const tenant = await newScimTenant();
    const scim = scimClient(route, tenant);
    for (const burst of [1, 2]) {
      const replies = await Promise.all(Array.from({ length: 500 }, () => scim("GET", "/Users?count=1")));
      const limited = replies.filter((r) => r.status === 429);
      expect(
        replies.every((r) => r.status === 200 || r.status === 429),
        `burst ${burst}`,
      ).toBe(true);
      expect(limited.length, `burst ${burst}`).toBeGreaterThan(0);
      for (const reply of limited) expectScimTooManyRequests(reply);
    }
  });

  it("one tenant's burst does not limit another tenant", async () => {
    const busy = await newScimTenant();
    const other = await newScimTenant();
    const replies = await Promise.all(Array.from({ length: 300 }, () => scimClient(route, busy)("GET", "/Users?count=1")));
    expect(replies.some((r) => r.status === 429)).toBe(true);
    expect((await scimClient(route, other)("GET", "/Users?count=1")).status).toBe(200);
  });
});

describe("per-address limit on failed authentication", () => {
  const from = (address: string) => ({ "X-Forwarded-For": address });

  it("answers 429 to an address after 20 failures, whatever it sends next; another address still gets 401", async () => {
    const tenant = await newScimTenant();
    const badToken = scimClient(route, { slug: tenant.slug, token: "scim_wrong" });
    for (let i = 0; i < 20; i++) expect((await badToken("GET", "/Users", undefined, from("198.51.100.7"))).status).toBe(401);
    expectScimTooManyRequests(await badToken("GET", "/Users", undefined, from("198.51.100.7")));
    // No token, another (unknown) tenant, a POST: the same address is refused before any lookup.
    expectScimTooManyRequests(
      await scimClient(route, { slug: tenant.slug, token: null })("GET", "/Users", undefined, from("198.51.100.7")),
    );
    expectScimTooManyRequests(
      await scimClient(route, { slug: "no-such-tenant", token: "scim_x" })("GET", "/Users", undefined, from("198.51.100.7")),
    );
    expectScimTooManyRequests(await badToken("POST", "/Users", { userName: "x" }, from("198.51.100.7")));
    // A header the client wrote itself does not change its address (TRUST_PROXY=0: the last hop counts).
    expectScimTooManyRequests(await badToken("GET", "/Users", undefined, from("203.0.113.99, 198.51.100.7")));

    expect((await badToken("GET", "/Users", undefined, from("198.51.100.8"))).status).toBe(401);
    expect((await scimClient(route, tenant)("GET", "/Users", undefined, from("198.51.100.8"))).status).toBe(200);
  });

  it("counts an IPv6 client by its /64, so rotating addresses inside it does not reset the count", async () => {
    const tenant = await newScimTenant();
    const badToken = scimClient(route, { slug: tenant.slug, token: "scim_wrong" });
    for (let i = 0; i < 20; i++)
      expect((await badToken("GET", "/Users", undefined, from(`2001:db8:7:8::${(i + 1).toString(16)}`))).status).toBe(401);
    expectScimTooManyRequests(await badToken("GET", "/Users", undefined, from("2001:db8:7:8:ffff::1")));
    expect((await badToken("GET", "/Users", undefined, from("2001:db8:7:9::1"))).status).toBe(401);
  });

  it("a blocked address still serves a token this instance has already verified (IdPs share egress addresses)", async () => {
    const healthy = await newScimTenant();
    const stale = await newScimTenant();
    const shared = from("192.0.2.44");
    // The healthy tenant's token is verified (and remembered once the token-change listener is up).
    await expect
      .poll(async () => (await scimClient(route, healthy)("GET", "/Users?count=1", undefined, from("192.0.2.45"))).status)
      .toBe(200);
    // Another tenant on the same IdP egress address keeps using a revoked token.
    const staleToken = scimClient(route, { slug: stale.slug, token: "scim_revoked" });
    for (let i = 0; i < 20; i++) await staleToken("GET", "/Users", undefined, shared);
    expectScimTooManyRequests(await staleToken("GET", "/Users", undefined, shared));
    await expect
      .poll(async () => {
        await scimClient(route, healthy)("GET", "/Users?count=1", undefined, from("192.0.2.45"));
        return (await scimClient(route, healthy)("GET", "/Users?count=1", undefined, shared)).status;
      })
      .toBe(200);
  });
});
