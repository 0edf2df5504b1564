import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import * as route from "@/app/api/scim/v2/[tenant]/[[...path]]/route";
import { db } from "../db";
import { scimImportConfig } from "../scim-import/config";
import { createScimImportHandler } from "../scim-import/handle-request";
import { newScimTenant, scimClient } from "../../testing/factories/scim-import";
import { createEdgeServer, type EdgeSettings } from "./server";

/**
 * The product's server hands `/api/scim/v2/<tenant>/…` to SCIM Import's handler itself (issue 17):
 * the real server on a free port, the real handler and database, a stand-in for Next that records
 * what reaches it; answers are compared with those of Next's route called as a module.
 */

// The route's handler reads the same setting.
const MAX_PAYLOAD = scimImportConfig().maxPayloadBytes;
const settings: EdgeSettings = { dev: false, https: false, allowPlainHttpIdps: false, trustedProxies: 0, scimMaxPayloadBytes: MAX_PAYLOAD };
const running: Server[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function startServer() {
  const nextSaw: string[] = [];
  const handler = createScimImportHandler();
  const server = createEdgeServer(
    settings,
    async (request, response) => {
      nextSaw.push(`${request.method} ${request.url}`);
      response.writeHead(200, { "content-type": "text/plain" }).end("next");
    },
    handler,
  );
  running.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, nextSaw };
}

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** One request over node:http, its path sent as written (dot segments too); `chunks` are sent without a Content-Length. */
function send(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: string; chunks?: string[]; endAfterAnswer?: boolean } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { "content-type": "application/scim+json" };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["content-length"] = String(Buffer.byteLength(options.body));
    const request = http.request(base, { path, method, headers }, (response) => {
      if (options.endAfterAnswer) request.end();
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    // A server that answers before the whole body is sent may close the connection under it.
    request.on("error", (error) => (/EPIPE|ECONNRESET/.test(String(error)) ? undefined : reject(error)));
    for (const chunk of options.chunks ?? []) request.write(chunk);
    if (!options.endAfterAnswer) request.end(options.body);
  });
}

const user = (userName: string) => ({
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
  userName,
  name: { givenName: "Ada", familyName: "Lovelace" },
  active: true,
});

describe("the server routes SCIM Import to its handler, with the Next route's answers", () => {
  it("create, get and lookup: same status, content type, ETag and body as the route, with the security headers, and an event each", async () => {
    const tenant = await newScimTenant();
    const { base, nextSaw } = await startServer();
    const viaRoute = scimClient(route, tenant);

    const created = await send(base, "POST", `/api/scim/v2/${tenant.slug}/Users`, {
      token: tenant.token,
      body: JSON.stringify(user("ada@example.com")),
    });
    expect(created.status).toBe(201);
    const id = JSON.parse(created.body).id as string;

    for (const path of [
      `/Users/${id}`,
      `/Users?filter=${encodeURIComponent('userName eq "ada@example.com"')}`,
      "/ServiceProviderConfig",
      "/Users/no-such-id",
    ]) {
      const served = await send(base, "GET", `/api/scim/v2/${tenant.slug}${path}`, { token: tenant.token });
      const routed = await viaRoute("GET", path);
      expect(served.status, path).toBe(routed.status);
      expect(served.headers["content-type"], path).toBe("application/scim+json; charset=utf-8");
      expect(served.headers["content-type"], path).toBe(routed.headers.get("content-type"));
      expect(served.headers.etag ?? null, path).toBe(routed.headers.get("etag"));
      expect(served.headers["cache-control"], path).toBe("no-store");
      expect(JSON.parse(served.body), path).toEqual(routed.body);
      expect(served.headers["x-content-type-options"], path).toBe("nosniff");
      expect(served.headers["x-frame-options"], path).toBe("DENY");
      expect(served.headers["content-security-policy"], path).toBeDefined();
    }
    expect(nextSaw).toEqual([]);
    const events = await db().provisioningEvent.findMany({
      where: { tenantId: tenant.id, method: "GET", path: `/api/scim/v2/${tenant.slug}/Users/${id}` },
    });
    // One through the server, one through the route.
    expect(events).toHaveLength(2);
    expect(events.map((e) => e.status)).toEqual([200, 200]);
  });

  it("a percent-encoded tenant and id are decoded segment by segment, as Next does", async () => {
    const tenant = await newScimTenant();
    const { base } = await startServer();
    const created = JSON.parse(
      (
        await send(base, "POST", `/api/scim/v2/${tenant.slug}/Users`, {
          token: tenant.token,
          body: JSON.stringify(user("grace@example.com")),
        })
      ).body,
    );
    const encodedSlug = `%${tenant.slug.charCodeAt(0).toString(16)}${tenant.slug.slice(1)}`;
    const encodedId = `%${created.id.charCodeAt(0).toString(16)}${created.id.slice(1)}`;
    const served = await send(base, "GET", `/api/scim/v2/${encodedSlug}/Users/${encodedId}`, { token: tenant.token });
    expect(served.status).toBe(200);
    expect(JSON.parse(served.body).userName).toBe("grace@example.com");
    const routed = await scimClient(route, tenant)("GET", `/Users/${encodedId}`);
    expect(JSON.parse(served.body)).toEqual(routed.body);
  });

  it("a tenant with no path after it gets the handler's answer, as the route's optional catch-all does", async () => {
    const tenant = await newScimTenant();
    const { base, nextSaw } = await startServer();
    const served = await send(base, "GET", `/api/scim/v2/${tenant.slug}`, { token: tenant.token });
    const routed = await scimClient(route, tenant)("GET", "");
    expect(served.status).toBe(routed.status);
    expect(JSON.parse(served.body)).toEqual(routed.body);
    expect(nextSaw).toEqual([]);
  });

  it("a declared body over maxPayloadSize gets 413 in SCIM's error format before the handler", async () => {
    const tenant = await newScimTenant();
    const { base } = await startServer();
    const answer = await send(base, "POST", `/api/scim/v2/${tenant.slug}/Users`, {
      token: tenant.token,
      body: "x".repeat(MAX_PAYLOAD + 1),
    });
    expect(answer.status).toBe(413);
    expect(answer.headers["content-type"]).toMatch(/^application\/scim\+json/);
    expect(JSON.parse(answer.body).status).toBe("413");
  });

  it("a streamed body (no Content-Length) over maxPayloadSize gets the handler's 413 while still being sent, as from the route; no 411", async () => {
    const tenant = await newScimTenant();
    const { base } = await startServer();
    const big = JSON.stringify({ ...user("big@example.com"), displayName: "x".repeat(MAX_PAYLOAD) });
    // The body's end is not sent: the answer must come without it, not a reset connection.
    const served = await send(base, "POST", `/api/scim/v2/${tenant.slug}/Users`, {
      token: tenant.token,
      chunks: [big.slice(0, 1000), big.slice(1000)],
      endAfterAnswer: true,
    });
    const routed = await scimClient(route, tenant)("POST", "/Users", big);
    expect(routed.status).toBe(413);
    expect(served.status).toBe(413);
    expect(served.headers["content-type"]).toBe(routed.headers.get("content-type"));
    expect(JSON.parse(served.body)).toEqual(routed.body);
  });

  it("a streamed body within the limit is read and served (SCIM counts streamed bytes itself: no 411)", async () => {
    const tenant = await newScimTenant();
    const { base } = await startServer();
    const body = JSON.stringify(user("chunked@example.com"));
    const served = await send(base, "POST", `/api/scim/v2/${tenant.slug}/Users`, {
      token: tenant.token,
      chunks: [body.slice(0, 10), body.slice(10)],
    });
    expect(served.status).toBe(201);
    expect(JSON.parse(served.body).userName).toBe("chunked@example.com");
  });

  it("HEAD is the GET without its body, OPTIONS lists the methods without a token, another method is refused in SCIM's format: none reaches Next", async () => {
    const tenant = await newScimTenant();
    const { base, nextSaw } = await startServer();
    const created = await send(base, "POST", `/api/scim/v2/${tenant.slug}/Users`, {
      token: tenant.token,
      body: JSON.stringify(user("head@example.com")),
    });
    const id = JSON.parse(created.body).id as string;

    const got = await send(base, "GET", `/api/scim/v2/${tenant.slug}/Users/${id}`, { token: tenant.token });
    const head = await send(base, "HEAD", `/api/scim/v2/${tenant.slug}/Users/${id}`, { token: tenant.token });
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    expect(head.headers["content-length"]).toBe(got.headers["content-length"]);
    expect(head.headers.etag).toBe(got.headers.etag);
    expect(head.headers["content-type"]).toBe("application/scim+json; charset=utf-8");
    expect(head.headers["x-content-type-options"]).toBe("nosniff");
    expect((await send(base, "HEAD", `/api/scim/v2/${tenant.slug}/Users/${id}`, { token: "wrong" })).status).toBe(401);
    const headEvents = await db().provisioningEvent.findMany({ where: { tenantId: tenant.id, method: "HEAD" } });
    expect(headEvents.map((e) => [e.operation, e.status])).toEqual([["lookup", 200]]);

    const options = await send(base, "OPTIONS", `/api/scim/v2/${tenant.slug}/Users`);
    expect(options.status).toBe(204);
    expect(options.headers.allow).toBe("DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
    expect(options.headers["content-security-policy"]).toBeDefined();

    const trace = await send(base, "TRACE", `/api/scim/v2/${tenant.slug}/Users`, { token: tenant.token });
    expect(trace.status).toBe(405);
    expect(JSON.parse(trace.body)).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "405" });
    expect(nextSaw).toEqual([]);
  });

  it("anything else still reaches Next: other paths, trailing or repeated slashes, malformed escapes", async () => {
    const tenant = await newScimTenant();
    const { base, nextSaw } = await startServer();
    const toNext: [string, string][] = [
      ["GET", "/api/health"],
      ["GET", "/api/scim/v2/"],
      ["GET", `/api/scim/v2/${tenant.slug}/Users/`],
      ["GET", `/api/scim/v2/${tenant.slug}//Users`],
      ["GET", `/api/scim/v2/${tenant.slug}/Users/%E0%A4%A`],
      ["GET", `/api/scim/v2/${tenant.slug}/x/../Users`],
    ];
    for (const [method, path] of toNext) {
      const answer = await send(base, method, path, { token: tenant.token });
      expect(answer.status, `${method} ${path}`).toBe(200);
    }
    expect(nextSaw).toEqual(toNext.map(([method, path]) => `${method} ${path}`));
  });
});
