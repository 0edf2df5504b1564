/**
 * Okta's documented request sequences (developer.okta.com "SCIM 2.0 reference" and its published
 * Runscope/CRUD test suites), replayed over the real route handler on PostgreSQL.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as route from "@/app/api/scim/v2/[tenant]/[[...path]]/route";
import { db } from "../db";
import { newScimTenant, scimClient } from "../../testing/factories/scim-import";

const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
let scim: ReturnType<typeof scimClient>;
let tenant: Awaited<ReturnType<typeof newScimTenant>>;

beforeAll(async () => {
  tenant = await newScimTenant();
  scim = scimClient(route, tenant, { userAgent: "Okta SCIM Client 1.0.0", contentType: "application/json" });
});

const oktaUser = (userName: string) => ({
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
  userName,
  name: { givenName: "Ada", familyName: "Lovelace" },
  emails: [{ primary: true, value: userName, type: "work" }],
  displayName: "Ada Lovelace",
  locale: "en-US",
  externalId: "00ujl29u0le5T6Aj10h7",
  groups: [],
  password: "1mz050nq",
  active: true,
});

describe("Okta user lifecycle", () => {
  it("looks up before create: no match is 200 with an empty ListResponse", async () => {
    const res = await scim("GET", `/Users?filter=${encodeURIComponent('userName eq "nobody@example.com"')}&startIndex=1&count=100`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
  });

  it("creates, finds case-insensitively, updates by PUT, deactivates, reactivates; never deletes", async () => {
    const created = await scim("POST", "/Users", oktaUser("Ada.Lovelace@Example.com"));
    expect(created.status).toBe(201);
    expect(created.headers.get("content-type")).toContain("application/scim+json");
    expect(created.headers.get("location")).toBe(`http://localhost:3000/api/scim/v2/${tenant.slug}/Users/${created.body.id}`);
    expect(created.body).toMatchObject({
      userName: "Ada.Lovelace@Example.com",
      externalId: "00ujl29u0le5T6Aj10h7",
      active: true,
      locale: "en-US",
      meta: { resourceType: "User", version: 'W/"1"' },
    });
    expect(created.body.password).toBeUndefined();
    const id = created.body.id as string;

    const dup = await scim("POST", "/Users", oktaUser("ada.lovelace@example.COM"));
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ schemas: [ERROR], status: "409", scimType: "uniqueness" });

    const found = await scim("GET", `/Users?filter=${encodeURIComponent('userName eq "ADA.LOVELACE@example.com"')}&startIndex=1&count=100`);
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0].userName).toBe("Ada.Lovelace@Example.com");

    // Catalog apps GET then PUT the whole user, echoing id, meta and groups.
    const current = (await scim("GET", `/Users/${id}`)).body;
    const put = await scim("PUT", `/Users/${id}`, { ...current, name: { givenName: "Augusta", familyName: "King" }, password: "x" });
    expect(put.status).toBe(200);
    expect(put.body.name).toEqual({ givenName: "Augusta", familyName: "King" });
    expect(put.body.meta.version).toBe('W/"2"');

    const off = await scim("PATCH", `/Users/${id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", value: { active: false } }],
    });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    // Deactivated users stay visible by GET and by filter.
    expect((await scim("GET", `/Users/${id}`)).body.active).toBe(false);
    const stillListed = await scim("GET", `/Users?filter=${encodeURIComponent('userName eq "ada.lovelace@example.com"')}`);
    expect(stillListed.body.Resources[0].active).toBe(false);

    const on = await scim("PATCH", `/Users/${id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", value: { active: true } }],
    });
    expect(on.body.active).toBe(true);

    const events = await db().provisioningEvent.findMany({
      where: { tenantId: tenant.id },
      orderBy: { id: "asc" },
      select: { operation: true, status: true, userAgent: true, requestBody: true },
    });
    const operations = events.map((e) => e.operation);
    expect(operations).toEqual(
      expect.arrayContaining(["lookup", "user created", "error", "user updated", "user deactivated", "user reactivated"]),
    );
    expect(events[0]?.userAgent).toBe("Okta SCIM Client 1.0.0");
    const createEvent = events.find((e) => e.operation === "user created");
    expect((createEvent?.requestBody as { password?: string }).password).toBe("[redacted]");
  });

  it("answers unknown ids (any string) with a 404 SCIM error", async () => {
    for (const id of ["does-not-exist", "00000000-0000-0000-0000-000000000000", "1 OR 1=1", "%27"]) {
      const res = await scim("GET", `/Users/${encodeURIComponent(id)}`);
      expect(res.status, id).toBe(404);
      expect(res.body).toMatchObject({ schemas: [ERROR], status: "404" });
    }
  });

  it("rejects a bad token with 401 and a SCIM error body", async () => {
    const bad = scimClient(route, { slug: tenant.slug, token: "scim_wrong" });
    const res = await bad("GET", "/Users");
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ schemas: [ERROR], status: "401" });
    const none = await scimClient(route, { slug: tenant.slug, token: null })("GET", "/Users");
    expect(none.status).toBe(401);
    const otherSlug = await scimClient(route, { slug: "no-such-tenant", token: tenant.token })("GET", "/Users");
    expect(otherSlug.status).toBe(401);
    expect(otherSlug.body.detail).toBe(res.body.detail);
  });
});

describe("Okta pagination", () => {
  it("pages by startIndex with itemsPerPage = returned count, stable order, every user exactly once", async () => {
    const t = await newScimTenant();
    const client = scimClient(route, t);
    for (let i = 0; i < 25; i++) expect((await client("POST", "/Users", oktaUser(`page${i}@example.com`))).status).toBe(201);
    const seen: string[] = [];
    for (let start = 1; ; start += 10) {
      const page = await client("GET", `/Users?startIndex=${start}&count=10`);
      expect(page.body.totalResults).toBe(25);
      expect(page.body.itemsPerPage).toBe(page.body.Resources.length);
      expect(typeof page.body.startIndex).toBe("number");
      seen.push(...page.body.Resources.map((r: { id: string }) => r.id));
      if (start + 10 > 25) break;
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    // Without startIndex/count the list is not empty (a bug other servers shipped).
    expect((await client("GET", "/Users")).body.Resources).toHaveLength(25);
    const onlyTotal = await client("GET", "/Users?count=0");
    expect(onlyTotal.body).toMatchObject({ totalResults: 25, itemsPerPage: 0, Resources: [] });
  });
});

describe("Okta group push", () => {
  it("creates with members, renames with {id, displayName}, removes by filter and adds by list, replaces, empties, deletes", async () => {
    const users = await Promise.all(
      [1, 2, 3].map(async (i) => (await scim("POST", "/Users", oktaUser(`gp${i}@example.com`))).body.id as string),
    );
    const created = await scim("POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Data",
      members: [{ value: users[0] }],
    });
    expect(created.status).toBe(201);
    expect(created.body.members.map((m: { value: string }) => m.value)).toEqual([users[0]]);
    const id = created.body.id as string;
    const patch = (Operations: unknown[]) =>
      scim("PATCH", `/Groups/${id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations });

    expect((await patch([{ op: "replace", value: { id, displayName: "Data Team" } }])).status).toBe(204);
    const members = async () => ((await scim("GET", `/Groups/${id}`)).body.members ?? []).map((m: { value: string }) => m.value).sort();
    expect((await scim("GET", `/Groups/${id}`)).body.displayName).toBe("Data Team");

    expect(
      (
        await patch([
          { op: "remove", path: `members[value eq "${users[0]}"]` },
          { op: "add", path: "members", value: [{ value: users[1] }, { value: users[2] }] },
        ])
      ).status,
    ).toBe(204);
    expect(await members()).toEqual([users[1], users[2]].sort());

    await patch([{ op: "replace", path: "members", value: [{ value: users[0] }] }]);
    expect(await members()).toEqual([users[0]]);
    await patch([{ op: "replace", path: "members", value: [] }]);
    expect(await members()).toEqual([]);

    // Wizard-built apps PUT the whole group.
    const put = await scim("PUT", `/Groups/${id}`, {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Data Team",
      members: [{ value: users[2] }],
    });
    expect(put.status).toBe(200);
    expect(put.body.members.map((m: { value: string }) => m.value)).toEqual([users[2]]);

    expect((await scim("DELETE", `/Groups/${id}`)).status).toBe(204);
    expect((await scim("GET", `/Groups/${id}`)).status).toBe(404);
    const ops = (
      await db().provisioningEvent.findMany({ where: { tenantId: tenant.id, resourceId: id }, select: { operation: true } })
    ).map((e) => e.operation);
    expect(ops).toEqual(
      expect.arrayContaining(["group created", "group renamed", "group members changed", "group members removed", "group deleted"]),
    );
  });
});
