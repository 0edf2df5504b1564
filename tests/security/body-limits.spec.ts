import { expect, test } from "@playwright/test";
import { sendRaw, type RawAnswer } from "../../src/testing/http/http-edge-client";

/**
 * Issue 13, items 6 and 4: every route has a body cap, refused with 413 before the body is read,
 * in the route's own error format; a body without a length is refused (411) where the route's
 * handler does not count it itself; JSON nested deeper than the console's API takes is a 400.
 *
 * The size cases send only the request head, declaring a Content-Length over the cap, and wait
 * for the answer: it can only come if the server refuses without reading.
 */

const KiB = 1024;
const MiB = 1024 * KiB;

type Format = "trpc" | "oauth" | "scim" | "text";
const routes: { name: string; path: string; cap: number; format: Format; contentType: string }[] = [
  {
    name: "tRPC (account.signUp, unauthenticated)",
    path: "/api/trpc/account.signUp",
    cap: 1 * MiB,
    format: "trpc",
    contentType: "application/json",
  },
  {
    name: "next-auth (credentials sign-in)",
    path: "/api/auth/callback/credentials",
    cap: 16 * KiB,
    format: "text",
    contentType: "application/x-www-form-urlencoded",
  },
  { name: "SAML ACS", path: "/api/sso/acme/acs", cap: 1 * MiB, format: "text", contentType: "application/x-www-form-urlencoded" },
  { name: "OAuth token", path: "/api/oauth/token", cap: 16 * KiB, format: "oauth", contentType: "application/x-www-form-urlencoded" },
  {
    name: "SCIM Import (its maxPayloadSize)",
    path: "/api/scim/v2/acme/Users",
    cap: 1_048_576,
    format: "scim",
    contentType: "application/scim+json",
  },
  { name: "Inngest", path: "/api/inngest", cap: 4 * MiB, format: "text", contentType: "application/json" },
  {
    name: "SSO start (any other route)",
    path: "/api/sso/acme/start",
    cap: 64 * KiB,
    format: "text",
    contentType: "application/x-www-form-urlencoded",
  },
  { name: "a page (any other route)", path: "/sign-in", cap: 64 * KiB, format: "text", contentType: "application/x-www-form-urlencoded" },
];

function expectRouteFormat(answer: RawAnswer, format: Format, code: string) {
  if (format === "trpc") {
    expect(answer.headers["content-type"]).toMatch(/application\/json/);
    const body = JSON.parse(answer.body);
    expect(body.error.json.data.code).toBe(code);
    expect(body.error.json.message).toMatch(/bytes|length/i);
  } else if (format === "oauth") {
    expect(answer.headers["content-type"]).toMatch(/application\/json/);
    expect(JSON.parse(answer.body)).toMatchObject({ error: "invalid_request", error_description: expect.stringMatching(/bytes|length/i) });
  } else if (format === "scim") {
    expect(answer.headers["content-type"]).toMatch(/application\/scim\+json/);
    expect(JSON.parse(answer.body)).toMatchObject({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: String(answer.status),
      detail: expect.stringMatching(/bytes|length/i),
    });
  } else {
    expect(answer.headers["content-type"]).toMatch(/text\/plain/);
    expect(answer.body).toMatch(/bytes|length/i);
  }
}

test.describe("a declared body over the route's cap is refused with 413 before it is read", () => {
  for (const route of routes) {
    test(`${route.name}: a declared ${route.cap + 1} bytes (cap + 1) → 413`, async ({ baseURL }) => {
      const answer = await sendRaw(baseURL!, route.path, {
        headers: { "content-type": route.contentType, "content-length": route.cap + 1 },
      });
      expect(answer.status).toBe(413);
      expectRouteFormat(answer, route.format, "PAYLOAD_TOO_LARGE");
    });
  }

  test("100 MB declared to account.signUp: refused at once, the server still answers", async ({ baseURL, request }) => {
    const answer = await sendRaw(baseURL!, "/api/trpc/account.signUp", {
      headers: { "content-type": "application/json", "content-length": 100 * MiB },
    });
    expect(answer.status).toBe(413);
    expect((await request.get("/api/health")).status()).toBe(200);
  });

  test("a client that asks first (Expect: 100-continue) is refused before it sends the body", async ({ baseURL }) => {
    const answer = await sendRaw(baseURL!, "/api/oauth/token", {
      headers: { "content-type": "application/x-www-form-urlencoded", "content-length": 1 * MiB, expect: "100-continue" },
    });
    expect(answer.status).toBe(413);
    expectRouteFormat(answer, "oauth", "PAYLOAD_TOO_LARGE");
  });

  test("a body at the cap reaches the route (OAuth token: its own error, not 413)", async ({ request }) => {
    const form = `grant_type=authorization_code&code=${"x".repeat(16 * KiB - "grant_type=authorization_code&code=".length)}`;
    expect(form.length).toBe(16 * KiB);
    const response = await request.post("/api/oauth/token", {
      data: form,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(response.status()).not.toBe(413);
    expect(await response.json()).toHaveProperty("error");
  });
});

test.describe("a body without a declared length", () => {
  test("is refused with 411 on the console's API (tRPC's format), before it is read", async ({ baseURL }) => {
    const answer = await sendRaw(baseURL!, "/api/trpc/account.signUp", {
      headers: { "content-type": "application/json" },
      chunks: ['{"json":'],
    });
    expect(answer.status).toBe(411);
    expectRouteFormat(answer, "trpc", "BAD_REQUEST");
  });

  test("is refused with 411 on the OAuth token endpoint (OAuth's format)", async ({ baseURL }) => {
    const answer = await sendRaw(baseURL!, "/api/oauth/token", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      chunks: ["grant_type="],
    });
    expect(answer.status).toBe(411);
    expectRouteFormat(answer, "oauth", "BAD_REQUEST");
  });

  test("reaches SCIM Import, whose handler counts the bytes as they arrive (IdPs may stream)", async ({ baseURL }) => {
    const answer = await sendRaw(baseURL!, "/api/scim/v2/acme/Users", {
      headers: { "content-type": "application/scim+json", authorization: "Bearer not-a-token" },
      chunks: ["{}"],
      end: true,
    });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
  });
});

test.describe("JSON nested deeper than 32 levels is a 400 in the route's format, not a 500", () => {
  const deep = (levels: number) => "[".repeat(levels) + "]".repeat(levels);

  test("POST with 10,000 levels", async ({ request }) => {
    const response = await request.post("/api/trpc/account.signUp", {
      data: `{"json":{"name":${deep(10_000)}}}`,
      headers: { "content-type": "application/json" },
    });
    expect(response.status()).toBe(400);
    const body = await response.json();
    expect(body.error.json.data.code).toBe("BAD_REQUEST");
    expect(body.error.json.message).toMatch(/nest/i);
  });

  test("a batched POST with 10,000 levels", async ({ request }) => {
    const response = await request.post("/api/trpc/account.signUp?batch=1", {
      data: `{"0":{"json":${deep(10_000)}}}`,
      headers: { "content-type": "application/json" },
    });
    expect(response.status()).toBe(400);
    const body = await response.json();
    expect(body[0].error.json.data.code).toBe("BAD_REQUEST");
    expect(body[0].error.json.message).toMatch(/nest/i);
  });

  test("a GET query whose input nests as deep as a URL allows", async ({ request }) => {
    const response = await request.get(`/api/trpc/groups.list?input=${encodeURIComponent(`{"json":${deep(2_000)}}`)}`);
    expect(response.status()).toBe(400);
    const body = await response.json();
    expect(body.error.json.data.code).toBe("BAD_REQUEST");
    expect(body.error.json.message).toMatch(/nest/i);
  });

  test("next-auth (which takes JSON bodies too): 5,000 levels within its 16 KB are a 400 in plain text", async ({ request }) => {
    const response = await request.post("/api/auth/callback/credentials", {
      data: `{"email":${deep(5_000)}}`,
      headers: { "content-type": "application/json" },
    });
    expect(response.status()).toBe(400);
    expect(response.headers()["content-type"]).toMatch(/text\/plain/);
    expect(await response.text()).toMatch(/nests .* deeper than 32 levels/);
  });

  test("32 levels are accepted (the input is then checked as usual)", async ({ request }) => {
    // Two objects around 30 arrays.
    const response = await request.post("/api/trpc/account.signUp", {
      data: `{"json":{"name":${deep(30)}}}`,
      headers: { "content-type": "application/json" },
    });
    expect(response.status()).toBe(400);
    expect((await response.json()).error.json.message).not.toMatch(/nest/i);
  });
});
