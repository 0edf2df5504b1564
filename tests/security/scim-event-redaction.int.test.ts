/**
 * Issue 13, item 2: a password (or any credential) sent to SCIM Import never reaches the stored
 * provisioning event, which viewers can read, whatever the request's shape: one case per shape.
 * Each case checks the whole stored row (path, resourceName, both bodies), not one field.
 */
import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import * as route from "@/app/api/scim/v2/[tenant]/[[...path]]/route";
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db";
import { pool } from "@/server/db/connections";
import { newScimTenant, scimClient } from "@/testing/factories/scim-import";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
const SECRET = "Hunter2-Zq9";

let tenant: Awaited<ReturnType<typeof newScimTenant>>;
let scim: ReturnType<typeof scimClient>;
let userId: string;
beforeEach(async () => {
  tenant = await newScimTenant();
  scim = scimClient(route, tenant);
  userId = (await scim("POST", "/Users", { schemas: [USER], userName: "redact@example.com" })).body.id;
});

/** Every event of the tenant recorded after `afterId`, as the JSON text of its stored row. */
async function eventsAfter(afterId: bigint): Promise<string[]> {
  const rows = await db().provisioningEvent.findMany({ where: { tenantId: tenant.id, id: { gt: afterId } }, orderBy: { id: "asc" } });
  return rows.map((row) => JSON.stringify({ ...row, id: String(row.id) }));
}

async function lastEventId(): Promise<bigint> {
  const last = await db().provisioningEvent.findFirst({ where: { tenantId: tenant.id }, orderBy: { id: "desc" }, select: { id: true } });
  return last?.id ?? 0n;
}

/** Sends the request, then expects exactly one new event, holding no trace of the secret. */
async function expectRedacted(method: "GET" | "POST" | "PUT" | "PATCH", requestPath: string, body?: unknown) {
  const before = await lastEventId();
  const res = await scim(method, requestPath, body);
  expect(res.status).toBeLessThan(500);
  const events = await eventsAfter(before);
  expect(events).toHaveLength(1);
  expect(events[0]).not.toContain(SECRET);
  expect(events[0]).not.toContain(encodeURIComponent(SECRET));
  return { res, event: JSON.parse(events[0] as string) };
}

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });

describe("provisioning events never hold a password or credential", () => {
  it("POST /Users with a password", async () => {
    await expectRedacted("POST", "/Users", { schemas: [USER], userName: "p1@example.com", password: SECRET });
  });

  it("PUT /Users/{id} with a password", async () => {
    await expectRedacted("PUT", `/Users/${userId}`, { schemas: [USER], userName: "redact@example.com", password: SECRET });
  });

  it("PATCH with a value object holding the password", async () => {
    await expectRedacted("PATCH", `/Users/${userId}`, patch({ op: "replace", value: { password: SECRET } }));
  });

  it('PATCH with path "password"', async () => {
    const { res } = await expectRedacted("PATCH", `/Users/${userId}`, patch({ op: "replace", path: "password", value: SECRET }));
    expect(res.status).toBe(200);
  });

  it("PATCH with the password's full URN path, any letter case", async () => {
    await expectRedacted(
      "PATCH",
      `/Users/${userId}`,
      patch({ op: "add", path: "urn:ietf:params:scim:schemas:core:2.0:User:password", value: SECRET }),
    );
    await expectRedacted(
      "PATCH",
      `/Users/${userId}`,
      patch({ op: "replace", path: "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:Password", value: SECRET }),
    );
  });

  it("PATCH with a value object keyed by the URN path, or under the core schema's URN", async () => {
    await expectRedacted(
      "PATCH",
      `/Users/${userId}`,
      patch({ op: "replace", value: { "urn:ietf:params:scim:schemas:core:2.0:User:password": SECRET } }),
    );
    await expectRedacted("PATCH", `/Users/${userId}`, patch({ op: "replace", value: { [USER]: { password: SECRET } } }));
  });

  it('PATCH with path "password" and an object or list value', async () => {
    await expectRedacted("PATCH", `/Users/${userId}`, patch({ op: "replace", path: "password", value: { nested: SECRET } }));
    await expectRedacted("PATCH", `/Users/${userId}`, patch({ op: "add", path: "Password", value: [SECRET] }));
  });

  it("a refused PATCH whose error would quote the secret (unquoted filter value in the path)", async () => {
    const { res, event } = await expectRedacted(
      "PATCH",
      `/Users/${userId}`,
      patch({ op: "replace", path: `emails[password eq ${SECRET}].value`, value: "x" }),
    );
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain(SECRET);
    expect(event.responseBody.detail).toBe("[redacted]");
  });

  it("/Bulk: POST, PUT and PATCH (value object, path, URN path) operations", async () => {
    const { res } = await expectRedacted("POST", "/Bulk", {
      schemas: [BULK],
      Operations: [
        { method: "POST", path: "/Users", bulkId: "a", data: { schemas: [USER], userName: "bulk@example.com", password: SECRET } },
        { method: "PUT", path: `/Users/${userId}`, data: { schemas: [USER], userName: "redact@example.com", password: SECRET } },
        { method: "PATCH", path: `/Users/${userId}`, data: patch({ op: "replace", value: { password: SECRET } }) },
        { method: "PATCH", path: `/Users/${userId}`, data: patch({ op: "replace", path: "password", value: SECRET }) },
        { method: "PATCH", path: "/Users/bulkId:a", data: patch({ op: "replace", path: `${USER}:password`, value: SECRET }) },
      ],
    });
    expect(res.body.Operations.map((o: { status: string }) => o.status)).toEqual(["201", "200", "200", "200", "200"]);
  });

  it("GET /Users with a filter on password (the stored path holds the query string)", async () => {
    await expectRedacted("GET", `/Users?filter=${encodeURIComponent(`password eq "${SECRET}"`)}`);
    await expectRedacted("GET", `/Users?filter=${encodeURIComponent(`userName eq "x" or ${USER}:password eq "${SECRET}"`)}`);
  });

  it("a filter on password that does not parse is redacted as a whole", async () => {
    await expectRedacted("GET", `/Users?filter=${encodeURIComponent(`password eq "${SECRET}" and (`)}`);
  });

  it("POST /Users/.search and POST /.search with a filter on password", async () => {
    await expectRedacted("POST", "/Users/.search", { schemas: [SEARCH], filter: `password eq "${SECRET}"` });
    await expectRedacted("POST", "/.search", { schemas: [SEARCH], filter: `not (password eq "${SECRET}")` });
  });

  it("an access_token (or any credential-looking parameter) in the query string", async () => {
    const { event } = await expectRedacted("GET", `/Users?access_token=${SECRET}&count=1`);
    expect(event.path).toContain("count=1");
    await expectRedacted("GET", `/Users/${userId}?client_secret=${SECRET}`);
    await expectRedacted("GET", `/Users?apiKey=${SECRET}`);
    // Letters may arrive percent-encoded: "%61ccess_token" is access_token.
    await expectRedacted("GET", `/Users?%61ccess_%74oken=${SECRET}`);
    await expectRedacted("GET", `/Users?filter=${encodeURIComponent(`password eq "${SECRET}"`).replace("p", "%70")}`);
  });

  it("a lookup that names no secret is stored as sent", async () => {
    const filter = 'userName eq "redact@example.com"';
    const before = await lastEventId();
    await scim("GET", `/Users?filter=${encodeURIComponent(filter)}`);
    const [event] = (await eventsAfter(before)).map((text) => JSON.parse(text));
    expect(event).toMatchObject({ path: expect.stringContaining(encodeURIComponent(filter)), resourceName: filter, operation: "lookup" });
  });
});

describe("the migration scrubs events stored before the fix", () => {
  it("redacts every pre-fix shape and leaves other rows as they were", async () => {
    const folders = readdirSync(path.join(process.cwd(), "prisma/migrations")).filter((name) =>
      name.endsWith("_scrub_provisioning_event_secrets"),
    );
    expect(folders).toHaveLength(1);
    const migration = await readFile(path.join(process.cwd(), "prisma/migrations", folders[0] as string, "migration.sql"), "utf8");

    const rows: { path: string; resourceName?: string; operation?: string; requestBody: unknown; responseBody?: unknown }[] = [
      { path: `/api/scim/v2/x/Users/${userId}`, requestBody: patch({ op: "replace", path: "password", value: SECRET }) },
      { path: `/api/scim/v2/x/Users/${userId}`, requestBody: patch({ op: "add", path: `${USER}:PASSWORD`, value: { deep: [SECRET] } }) },
      {
        path: "/api/scim/v2/x/Bulk",
        requestBody: {
          schemas: [BULK],
          Operations: [{ method: "PATCH", path: `/Users/${userId}`, data: patch({ op: "replace", path: "password", value: SECRET }) }],
        },
      },
      { path: "/api/scim/v2/x/Users/.search", requestBody: { schemas: [SEARCH], filter: `password eq "${SECRET}"` } },
      {
        path: `/api/scim/v2/x/Users/${userId}`,
        requestBody: patch({ op: "replace", path: `emails[password eq ${SECRET}].value`, value: "x" }),
        responseBody: { status: "400", scimType: "invalidFilter", detail: `Invalid filter at character 20: "${SECRET}" is not a value` },
      },
      { path: `/api/scim/v2/x/Users?filter=${encodeURIComponent(`password eq "${SECRET}"`)}&count=5`, requestBody: null },
      { path: `/api/scim/v2/x/Users?access_token=${SECRET}&count=5`, requestBody: null },
      { path: "/api/scim/v2/x/Users", resourceName: `password eq "${SECRET}"`, operation: "lookup", requestBody: null },
    ];
    const kept: (typeof rows)[number] = {
      path: "/api/scim/v2/x/Users?filter=userName%20eq%20%22a%22",
      resourceName: 'userName eq "a"',
      requestBody: patch({ op: "replace", path: "title", value: "Engineer" }),
    };
    const ids: bigint[] = [];
    for (const row of [...rows, kept]) {
      const created = await db().provisioningEvent.create({
        data: {
          tenantId: tenant.id,
          method: "PATCH",
          path: row.path,
          operation: row.operation ?? "error",
          status: row.operation ? 200 : 400,
          durationMs: 1,
          resourceName: row.resourceName ?? null,
          requestBody: row.requestBody === null ? Prisma.DbNull : (row.requestBody as object),
          responseBody: (row.responseBody as object) ?? Prisma.DbNull,
        },
        select: { id: true },
      });
      ids.push(created.id);
    }

    await pool().query(migration);

    const stored = await db().provisioningEvent.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } });
    const texts = stored.map((row) => JSON.stringify({ ...row, id: String(row.id) }));
    for (const text of texts.slice(0, rows.length)) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(encodeURIComponent(SECRET));
    }
    expect(stored[0]?.requestBody).toMatchObject({ Operations: [{ op: "replace", path: "password", value: "[redacted]" }] });
    // Other parameters of a scrubbed query string are kept as sent.
    expect(stored.filter((row) => row.path.includes("?") && row !== stored.at(-1)).map((row) => row.path.replace(/^.*\?/, ""))).toEqual([
      "filter=%5Bredacted%5D&count=5",
      "access_token=%5Bredacted%5D&count=5",
    ]);
    expect(stored[4]?.responseBody).toMatchObject({ scimType: "invalidFilter", detail: "[redacted]" });
    expect(stored.at(-1)).toMatchObject(kept);
    // Idempotent: a second run changes nothing and fails nowhere.
    await pool().query(migration);
  });
});
