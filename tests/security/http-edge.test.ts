import { createHash } from "node:crypto";
import type { IncomingHttpHeaders, Server } from "node:http";
import type { AddressInfo } from "node:net";
import saml20 from "@boxyhq/saml20";
import { afterEach, describe, expect, it } from "vitest";
import { clientAddressFrom } from "@/server/http/client-address";
import { forwardedForWithPeer } from "@/server/http/peer-address";
import { AUTO_POST_SCRIPTS } from "@/server/http/security-headers";
import { createEdgeServer, SERVER_LIMITS, type EdgeSettings } from "@/server/http/server";
import { sendRaw } from "../../src/testing/http/http-edge-client";

/**
 * The product's HTTP server in front of Next (issue 13, items 6, 8, 9): the real server on a
 * free port, with a stand-in for Next that records what reaches it.
 */

const settings: EdgeSettings = { dev: false, https: false, allowPlainHttpIdps: false, trustedProxies: 0, scimMaxPayloadBytes: 1_048_576 };

type Seen = { method: string; url: string; headers: IncomingHttpHeaders; body: string };
const running: Server[] = [];

async function startServer(overrides: Partial<EdgeSettings> = {}, fail = false) {
  const seen: Seen[] = [];
  const server = createEdgeServer({ ...settings, ...overrides }, async (request, response) => {
    if (fail) throw new Error("secret database detail");
    let body = "";
    for await (const chunk of request) body += chunk;
    seen.push({ method: request.method ?? "", url: request.url ?? "", headers: { ...request.headers }, body });
    response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
  running.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

const directives = (csp: string | string[] | undefined) =>
  new Map(
    String(csp ?? "")
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values.join(" ")]),
  );

describe("client address: the peer is appended to X-Forwarded-For, forged entries do not count", () => {
  it("a client's own X-Forwarded-For stays in front of the peer; clientAddress() sees the peer", async () => {
    const { base, seen } = await startServer();
    await sendRaw(base, "/api/health", { method: "GET", headers: { "x-forwarded-for": "6.6.6.6" }, end: true });
    expect(seen[0]!.headers["x-forwarded-for"]).toBe("6.6.6.6, 127.0.0.1");
    expect(clientAddressFrom(seen[0]!.headers["x-forwarded-for"] as string, 0)).toBe("127.0.0.1");
  });

  it("without the header the peer is its only entry", async () => {
    const { base, seen } = await startServer();
    await sendRaw(base, "/api/health", { method: "GET", end: true });
    expect(seen[0]!.headers["x-forwarded-for"]).toBe("127.0.0.1");
  });

  it("behind one trusted proxy, the proxy's entry is believed and the client's forged one is not", async () => {
    const { base, seen } = await startServer({ trustedProxies: 1 });
    await sendRaw(base, "/api/health", { method: "GET", headers: { "x-forwarded-for": "6.6.6.6, 198.51.100.7" }, end: true });
    expect(clientAddressFrom(seen[0]!.headers["x-forwarded-for"] as string, 1)).toBe("198.51.100.7");
  });

  it("X-Real-IP never reaches the application", async () => {
    const { base, seen } = await startServer({ trustedProxies: 1 });
    await sendRaw(base, "/api/health", { method: "GET", headers: { "x-real-ip": "6.6.6.6" }, end: true });
    expect(seen[0]!.headers["x-real-ip"]).toBeUndefined();
  });

  it("X-Forwarded-Host/-Proto/-Port and Forwarded are dropped unless a proxy is trusted", async () => {
    const forged = {
      "x-forwarded-host": "evil.example",
      "x-forwarded-proto": "https",
      "x-forwarded-port": "443",
      forwarded: "for=6.6.6.6",
    };
    const direct = await startServer();
    await sendRaw(direct.base, "/api/health", { method: "GET", headers: forged, end: true });
    for (const name of Object.keys(forged)) expect(direct.seen[0]!.headers[name], name).toBeUndefined();
    const proxied = await startServer({ trustedProxies: 1 });
    await sendRaw(proxied.base, "/api/health", { method: "GET", headers: forged, end: true });
    expect(proxied.seen[0]!.headers["x-forwarded-proto"]).toBe("https");
  });

  it.each([
    [undefined, "127.0.0.1", "127.0.0.1"],
    ["6.6.6.6", "::ffff:127.0.0.1", "6.6.6.6, 127.0.0.1"],
    [["6.6.6.6", "7.7.7.7"], "::1", "6.6.6.6, 7.7.7.7, ::1"],
  ] as const)("forwardedForWithPeer(%j, %j) → %j", (existing, peer, expected) => {
    expect(forwardedForWithPeer(existing as string | string[] | undefined, peer)).toBe(expected);
  });
});

const KiB = 1024;
const MiB = 1024 * KiB;

describe("body caps: refused from the request head, before a byte of the body is read", () => {
  it.each([
    ["/api/trpc/account.signUp", 1 * MiB, "application/json"],
    ["/api/auth/callback/credentials", 16 * KiB, "text/plain"],
    ["/api/sso/acme/acs", 1 * MiB, "text/plain"],
    ["/api/oauth/token", 16 * KiB, "application/json"],
    ["/api/scim/v2/acme/Users", 1_048_576, "application/scim+json"],
    ["/api/inngest", 4 * MiB, "text/plain"],
    ["/api/sso/acme/start", 64 * KiB, "text/plain"],
    ["/sign-in", 64 * KiB, "text/plain"],
  ])("%s: a declared cap + 1 bytes → 413 (%s), the application never sees it", async (path, cap, contentType) => {
    const { base, seen } = await startServer();
    const answer = await sendRaw(base, path, { headers: { "content-length": cap + 1 } });
    expect(answer.status).toBe(413);
    expect(answer.headers["content-type"]).toContain(contentType);
    expect(answer.headers.connection).toBe("close");
    expect(answer.body).toContain(`${cap} bytes`);
    expect(seen).toEqual([]);
  });

  it("each route's refusal is in its own format", async () => {
    const { base } = await startServer();
    const head = (path: string, cap: number) =>
      sendRaw(base, path, { headers: { "content-length": cap + 1 } }).then((a) => JSON.parse(a.body));
    expect(await head("/api/trpc/account.signUp", MiB)).toEqual({
      error: {
        json: {
          message: expect.stringContaining("bytes"),
          code: -32013,
          data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413, path: "account.signUp" },
        },
      },
    });
    expect(await head("/api/trpc/groups.create,groups.rename?batch=1", MiB)).toMatchObject([
      { error: { json: { data: { code: "PAYLOAD_TOO_LARGE", path: "groups.create" } } } },
      { error: { json: { data: { code: "PAYLOAD_TOO_LARGE", path: "groups.rename" } } } },
    ]);
    expect(await head("/api/oauth/token", 16 * KiB)).toEqual({
      error: "invalid_request",
      error_description: expect.stringContaining("bytes"),
    });
    expect(await head("/api/scim/v2/acme/Users", 1_048_576)).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "413",
      detail: expect.stringContaining("bytes"),
    });
  });

  it("a body at the cap reaches the application whole", async () => {
    const { base, seen } = await startServer();
    const body = "x".repeat(16 * KiB);
    const answer = await sendRaw(base, "/api/oauth/token", { headers: { "content-length": body.length }, chunks: [body], end: true });
    expect(answer.status).toBe(200);
    expect(seen[0]!.body).toBe(body);
  });

  it("the route is chosen on the path the framework routes: /api/inngest/../trpc is the console's API (1 MB), not Inngest (4 MB)", async () => {
    const { base, seen } = await startServer();
    const answer = await sendRaw(base, "/api/inngest/../trpc/account.signUp", { headers: { "content-length": 2 * MiB } });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.json.data.code).toBe("PAYLOAD_TOO_LARGE");
    expect(seen).toEqual([]);
  });

  it("a body without a length → 411 where the handler does not count (tRPC's format)", async () => {
    const { base, seen } = await startServer();
    const answer = await sendRaw(base, "/api/trpc/account.signUp", { chunks: ['{"json":'] });
    expect(answer.status).toBe(411);
    expect(JSON.parse(answer.body).error.json.message).toMatch(/Content-Length/);
    expect(seen).toEqual([]);
  });

  it("a body without a length reaches SCIM Import, whose handler counts it against maxPayloadSize", async () => {
    const { base, seen } = await startServer();
    const answer = await sendRaw(base, "/api/scim/v2/acme/Users", { chunks: ["{", "}"], end: true });
    expect(answer.status).toBe(200);
    expect(seen[0]!.body).toBe("{}");
  });

  it("Expect: 100-continue over the cap → 413 and no go-ahead; under it → 100 Continue, then the body", async () => {
    const { base, seen } = await startServer();
    const refused = await sendRaw(base, "/api/oauth/token", { headers: { "content-length": 1 * MiB, expect: "100-continue" } });
    expect(refused.status).toBe(413);
    expect(refused.gotContinue).toBe(false);

    const accepted = await sendRaw(base, "/api/oauth/token", {
      headers: { "content-length": 5, expect: "100-continue" },
      bodyAfterContinue: "a=b&c",
    });
    expect(accepted.gotContinue).toBe(true);
    expect(accepted.status).toBe(200);
    expect(seen.map((s) => s.body)).toEqual(["a=b&c"]);
  });

  it("a request head larger than 16 KB is refused (431) by the parser", async () => {
    const { base, seen } = await startServer();
    const answer = await sendRaw(base, "/sign-in", { method: "GET", headers: { cookie: "x".repeat(20 * KiB) }, end: true });
    expect(answer.status).toBe(431);
    expect(seen).toEqual([]);
  });

  it("the server gives a slow client bounded time for the head and the whole request", async () => {
    const { server } = await startServer();
    expect(server.headersTimeout).toBe(SERVER_LIMITS.headersTimeout);
    expect(server.requestTimeout).toBe(SERVER_LIMITS.requestTimeout);
    expect(SERVER_LIMITS.headersTimeout).toBeLessThanOrEqual(30_000);
    expect(SERVER_LIMITS.requestTimeout).toBeLessThanOrEqual(120_000);
  });
});

describe("security headers", () => {
  it("a page: a fresh nonce in the CSP of the answer, the same policy and nonce handed to Next on the request", async () => {
    const { base, seen } = await startServer();
    const first = await sendRaw(base, "/t/acme/users", {
      method: "GET",
      headers: { "x-nonce": "forged", "content-security-policy": "script-src 'nonce-forged'" },
      end: true,
    });
    const second = await sendRaw(base, "/t/acme/users", { method: "GET", end: true });
    const csp = directives(first.headers["content-security-policy"]);
    const nonce = /'nonce-([^']+)'/.exec(csp.get("script-src") ?? "")?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(seen[0]!.headers["x-nonce"]).toBe(nonce);
    expect(seen[0]!.headers["content-security-policy"]).toBe(first.headers["content-security-policy"]);
    expect(second.headers["content-security-policy"]).not.toBe(first.headers["content-security-policy"]);
    expect(Object.fromEntries(csp)).toEqual({
      "default-src": "'self'",
      "script-src": `'self' 'nonce-${nonce}' 'strict-dynamic'`,
      "style-src": "'self' 'unsafe-inline'",
      "img-src": "'self' data:",
      "font-src": "'self'",
      "connect-src": "'self'",
      "object-src": "'none'",
      "base-uri": "'none'",
      "form-action": "'self'",
      "frame-ancestors": "'none'",
    });
    expect(first.headers).toMatchObject({
      "x-frame-options": "DENY",
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
      "cross-origin-opener-policy": "same-origin",
      "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    });
    expect(first.headers["strict-transport-security"]).toBeUndefined();
  });

  it("an API answer: nothing may run or be framed; the application gets no nonce; JSON APIs are not stored", async () => {
    const { base, seen } = await startServer();
    const trpc = await sendRaw(base, "/api/trpc/account.me", { method: "GET", headers: { "x-nonce": "forged" }, end: true });
    expect(directives(trpc.headers["content-security-policy"]).get("default-src")).toBe("'none'");
    expect(directives(trpc.headers["content-security-policy"]).get("frame-ancestors")).toBe("'none'");
    expect(trpc.headers["x-content-type-options"]).toBe("nosniff");
    expect(trpc.headers["cache-control"]).toBe("no-store");
    expect(seen[0]!.headers["x-nonce"]).toBeUndefined();
    expect(seen[0]!.headers["content-security-policy"]).toBeUndefined();
    for (const path of ["/api/oauth/token", "/api/scim/v2/acme/Users", "/api/auth/session", "/api/inngest"]) {
      expect((await sendRaw(base, path, { method: "GET", end: true })).headers["cache-control"], path).toBe("no-store");
    }
    // The SP metadata is public and cacheable: its route decides.
    expect((await sendRaw(base, "/api/sso/acme/metadata", { method: "GET", end: true })).headers["cache-control"]).toBeUndefined();
  });

  it("SSO routes that may answer with Jackson's auto-post page: its two scripts by hash, forms to an IdP, no Referer", async () => {
    const { base } = await startServer();
    for (const path of ["/api/sso/acme/start", "/api/sso/acme/test", "/api/oauth/authorize"]) {
      const answer = await sendRaw(base, path, { method: "GET", end: true });
      const csp = directives(answer.headers["content-security-policy"]);
      expect(csp.get("default-src"), path).toBe("'none'");
      expect(csp.get("script-src"), path).toBe(
        `'unsafe-hashes' ${AUTO_POST_SCRIPTS.map((s) => `'sha256-${createHash("sha256").update(s).digest("base64")}'`).join(" ")}`,
      );
      expect(csp.get("form-action"), path).toBe("'self' https:");
      expect(csp.get("frame-ancestors"), path).toBe("'none'");
      expect(answer.headers["referrer-policy"], path).toBe("no-referrer");
    }
    const plainHttp = await startServer({ allowPlainHttpIdps: true });
    const answer = await sendRaw(plainHttp.base, "/api/sso/acme/start", { method: "GET", end: true });
    expect(directives(answer.headers["content-security-policy"]).get("form-action")).toBe("'self' https: http:");
  });

  it("the hashes are those of the scripts Jackson's auto-post page really has", () => {
    const html: string = saml20.createPostForm("https://idp.example.com/sso", [{ name: "SAMLRequest", value: "x" }]);
    const inline = [/onload="([^"]*)"/.exec(html)?.[1], /<script>([^<]*)<\/script>/.exec(html)?.[1]];
    expect(inline).toEqual(AUTO_POST_SCRIPTS);
  });

  it("the portal's sign-in page may post on to the IdP (its start route redirects there); no Referer leaves the portal", async () => {
    const { base } = await startServer();
    const answer = await sendRaw(base, "/portal/acme/sign-in", { method: "GET", end: true });
    expect(directives(answer.headers["content-security-policy"]).get("form-action")).toBe("'self' https:");
    expect(answer.headers["referrer-policy"]).toBe("no-referrer");
  });

  it("APP_URL on https: HSTS and upgrade-insecure-requests", async () => {
    const { base } = await startServer({ https: true });
    const answer = await sendRaw(base, "/sign-in", { method: "GET", end: true });
    expect(answer.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
    expect(directives(answer.headers["content-security-policy"]).has("upgrade-insecure-requests")).toBe(true);
  });

  it("next dev: eval for React's dev build and a WebSocket for hot reload", async () => {
    const { base } = await startServer({ dev: true });
    const csp = directives((await sendRaw(base, "/sign-in", { method: "GET", end: true })).headers["content-security-policy"]);
    expect(csp.get("script-src")).toContain("'unsafe-eval'");
    expect(csp.get("connect-src")).toBe("'self' ws: wss:");
  });

  it("refusals carry the headers too", async () => {
    const { base } = await startServer();
    const answer = await sendRaw(base, "/api/trpc/account.signUp", { headers: { "content-length": 2 * MiB } });
    expect(answer.status).toBe(413);
    expect(answer.headers["x-frame-options"]).toBe("DENY");
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
  });
});

it("a failure after the steps is a 500 without its details", async () => {
  const { base } = await startServer({}, true);
  const answer = await sendRaw(base, "/api/health", { method: "GET", end: true });
  expect(answer.status).toBe(500);
  expect(answer.body).not.toContain("secret database detail");
});
