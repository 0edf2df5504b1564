/**
 * RFC 7643/7644 points clients rely on, the "bugs other SCIM servers shipped" (INTEROP.md), bad
 * input, concurrency and tenant isolation, over the real route handler on PostgreSQL. Payloads are
 * also parsed with SCIMMY, a SCIM implementation we did not write.
 */
import SCIMMY from "scimmy";
import { beforeAll, describe, expect, it } from "vitest";
import * as route from "@/app/api/scim/v2/[tenant]/[[...path]]/route";
import { db } from "../db";
import { DEFAULT_SCIM_IMPORT_CONFIG } from "./config";
import { createScimImportHandler } from "./handle-request";
import { fromWebRequest } from "./http";
import { newScimTenant, scimClient } from "../../testing/factories/scim-import";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

let tenant: Awaited<ReturnType<typeof newScimTenant>>;
let scim: ReturnType<typeof scimClient>;
beforeAll(async () => {
  tenant = await newScimTenant();
  scim = scimClient(route, tenant);
});

const user = (userName: string, extra: Record<string, unknown> = {}) => ({ schemas: [USER], userName, ...extra });
const q = (filter: string) => `/Users?filter=${encodeURIComponent(filter)}`;
async function userCount(tenantId = tenant.id) {
  return db().directoryUser.count({ where: { tenantId } });
}

describe("filters (RFC 7644 §3.4.2.2) run as SQL", () => {
  let ids: Record<string, string>;
  beforeAll(async () => {
    const t = await newScimTenant();
    scim = scimClient(route, t);
    tenant = t;
    ids = {};
    const make = async (name: string, extra: Record<string, unknown>) =>
      (ids[name] = (await scim("POST", "/Users", user(name, extra))).body.id);
    await make("alice@corp.example", {
      title: "Engineer",
      displayName: "Alice A",
      emails: [{ value: "alice@corp.example", type: "work", primary: true }],
      [ENTERPRISE]: { department: "R&D" },
    });
    await make("bob@corp.example", { title: "Manager", active: false, emails: [{ value: "bob@home.example", type: "home" }] });
    await make("carol@other.example", { title: "engineer", nickName: "50%_off" });
  });
  const names = async (filter: string) => {
    const res = await scim("GET", `${q(filter)}&sortBy=userName`);
    expect(res.status, `${filter}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body.Resources.map((r: { userName: string }) => r.userName);
  };

  it.each([
    ['userName eq "ALICE@corp.example"', ["alice@corp.example"]],
    ['userName ne "alice@corp.example"', ["bob@corp.example", "carol@other.example"]],
    ['userName co "corp"', ["alice@corp.example", "bob@corp.example"]],
    ['userName sw "CAR"', ["carol@other.example"]],
    ['userName ew ".example"', ["alice@corp.example", "bob@corp.example", "carol@other.example"]],
    ['title eq "engineer"', ["alice@corp.example", "carol@other.example"]],
    ["nickName pr", ["carol@other.example"]],
    ['nickName co "%_"', ["carol@other.example"]],
    ["active eq false", ["bob@corp.example"]],
    ['not (userName sw "a") and active eq true', ["carol@other.example"]],
    ['(title eq "manager" or displayName eq "Alice A") and userName co "corp"', ["alice@corp.example", "bob@corp.example"]],
    ['emails[type eq "work" and value co "alice"]', ["alice@corp.example"]],
    ['emails.value ew "home.example"', ["bob@corp.example"]],
    [`${ENTERPRISE}:department eq "R&D"`, ["alice@corp.example"]],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName EQ "bob@corp.example"', ["bob@corp.example"]],
    ['meta.created gt "2000-01-01T00:00:00Z"', ["alice@corp.example", "bob@corp.example", "carol@other.example"]],
  ])("%s", async (filter, expected) => {
    expect(await names(filter)).toEqual(expected);
  });

  it.each([
    "userName eq",
    'userName xx "a"',
    'nosuch eq "a"',
    'userName eq "a" or',
    "active gt true",
    'userName eq "a"; DROP TABLE "DirectoryUser"',
    "(((((",
  ])("bad filter %s is 400 invalidFilter, never an empty 200", async (filter) => {
    const res = await scim("GET", q(filter));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ schemas: [ERROR], status: "400", scimType: "invalidFilter" });
  });

  it("injection attempts in values match literally and change nothing", async () => {
    const before = await userCount();
    for (const filter of [`userName eq "x' OR '1'='1"`, `userName eq "\\"); DELETE FROM \\"DirectoryUser\\"; --"`, 'userName co "%"']) {
      const res = await scim("GET", q(filter));
      expect(res.status, filter).toBe(200);
      expect(res.body.totalResults, filter).toBe(0);
    }
    expect(await userCount()).toBe(before);
  });

  it("attributes / excludedAttributes keep id and schemas; sortBy / sortOrder; POST /.search", async () => {
    const only = await scim("GET", "/Users?attributes=userName&sortBy=userName&sortOrder=descending");
    expect(only.body.Resources.map((r: { userName: string }) => r.userName)).toEqual([
      "carol@other.example",
      "bob@corp.example",
      "alice@corp.example",
    ]);
    expect(Object.keys(only.body.Resources[0]).sort()).toEqual(["id", "schemas", "userName"]);
    const without = await scim("GET", `/Users/${ids["alice@corp.example"]}?excludedAttributes=emails,name`);
    expect(without.body.emails).toBeUndefined();
    expect(without.body.userName).toBe("alice@corp.example");
    const search = await scim("POST", "/Users/.search", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
      filter: 'title eq "Manager"',
      attributes: ["userName"],
    });
    expect(search.status).toBe(200);
    expect(search.body.Resources).toEqual([{ schemas: [USER], id: ids["bob@corp.example"], userName: "bob@corp.example" }]);
    const root = await scim("POST", "/.search", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
      filter: 'userName sw "alice"',
    });
    expect(root.body.totalResults).toBe(1);
    expect((await scim("GET", "/Users?sortBy=nosuch")).status).toBe(400);
  });

  it("users by group: groups.value eq through the membership table", async () => {
    const g = (
      await scim("POST", "/Groups", { schemas: [GROUP], displayName: "Filter group", members: [{ value: ids["bob@corp.example"] }] })
    ).body.id;
    expect(await names(`groups.value eq "${g}"`)).toEqual(["bob@corp.example"]);
    // The read-only groups attribute lists the user's groups, in lists and by id.
    const listed = await scim("GET", q('userName eq "bob@corp.example"'));
    expect(listed.body.Resources[0].groups).toEqual([
      { value: g, display: "Filter group", $ref: expect.stringContaining(`/Groups/${g}`), type: "direct" },
    ]);
    expect((await scim("GET", `/Users/${ids["bob@corp.example"]}`)).body.groups[0].value).toBe(g);
    const patched = await scim("PATCH", `/Users/${ids["bob@corp.example"]}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", path: "nickName", value: "Bobby" }],
    });
    expect(patched.body.groups.map((x: { value: string }) => x.value)).toEqual([g]);
    // Deep pages (OFFSET) read the same rows as the first page.
    const deep = await scim("GET", "/Users?startIndex=2&count=1&sortBy=userName");
    expect(deep.body.Resources.map((r: { userName: string; groups?: unknown[] }) => [r.userName, r.groups?.length])).toEqual([
      ["bob@corp.example", 1],
    ]);
    expect((await scim("GET", q('userName eq "alice@corp.example"'))).body.Resources[0].groups).toBeUndefined();
    const byMember = await scim("GET", `/Groups?filter=${encodeURIComponent(`members.value eq "${ids["bob@corp.example"]}"`)}`);
    expect(byMember.body.Resources.map((r: { id: string }) => r.id)).toEqual([g]);
  });
});

describe("PATCH semantics (RFC 7644 §3.5.2)", () => {
  it("is atomic: a failing later operation leaves the user unchanged", async () => {
    const { id } = (await scim("POST", "/Users", user("atomic@example.com", { displayName: "Before" }))).body;
    const res = await scim("PATCH", `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [
        { op: "replace", path: "displayName", value: "After" },
        { op: "replace", path: "nosuchattr", value: 1 },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.status).toBe("400");
    const after = await scim("GET", `/Users/${id}`);
    expect(after.body.displayName).toBe("Before");
    expect(after.body.meta.version).toBe('W/"1"');
    // Times are stored in UTC like the rest of the directory; every write emits one change row, source SCIM.
    expect(Math.abs(Date.parse(after.body.meta.created) - Date.now())).toBeLessThan(60_000);
    await scim("PATCH", `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: "replace", path: "displayName", value: "After" }] });
    const changes = await db().directoryChange.findMany({
      where: { entityId: id },
      orderBy: { id: "asc" },
      select: { entity: true, action: true, source: true },
    });
    expect(changes).toEqual([
      { entity: "USER", action: "CREATED", source: "SCIM" },
      { entity: "USER", action: "UPDATED", source: "SCIM" },
    ]);
  });

  it("remove without path is noTarget; changing id or removing userName is mutability", async () => {
    const { id } = (await scim("POST", "/Users", user("mut@example.com"))).body;
    const p = (Operations: unknown[]) => scim("PATCH", `/Users/${id}`, { schemas: [PATCH], Operations });
    expect((await p([{ op: "remove" }])).body).toMatchObject({ status: "400", scimType: "noTarget" });
    expect((await p([{ op: "replace", path: "id", value: "other" }])).body).toMatchObject({ status: "400", scimType: "mutability" });
    expect((await p([{ op: "remove", path: "userName" }])).body).toMatchObject({ status: "400", scimType: "mutability" });
  });

  it("a group PATCH adding 100 members, and a one-member removal that never clears the group", async () => {
    const members = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => (await scim("POST", "/Users", user(`bulkmember${i}@example.com`))).body.id as string),
    );
    const g = (await scim("POST", "/Groups", { schemas: [GROUP], displayName: "Hundred" })).body.id;
    expect(
      (
        await scim("PATCH", `/Groups/${g}`, {
          schemas: [PATCH],
          Operations: [{ op: "add", path: "members", value: members.map((value) => ({ value })) }],
        })
      ).status,
    ).toBe(204);
    expect(await db().groupMember.count({ where: { groupId: g } })).toBe(100);
    await scim("PATCH", `/Groups/${g}`, {
      schemas: [PATCH],
      Operations: [{ op: "remove", path: "members", value: [{ value: members[0] }] }],
    });
    expect(await db().groupMember.count({ where: { groupId: g } })).toBe(99);
    // Deleting a user removes it from its groups.
    await scim("DELETE", `/Users/${members[1]}`);
    expect(await db().groupMember.count({ where: { groupId: g } })).toBe(98);
    // A SCIM change emits directory changes with source SCIM.
    const changes = await db().directoryChange.findMany({ where: { entityId: g }, select: { action: true, source: true } });
    expect(changes).toEqual(
      expect.arrayContaining([
        { action: "CREATED", source: "SCIM" },
        { action: "MEMBERS_CHANGED", source: "SCIM" },
      ]),
    );
  });

  it("adding an unknown member is a 400 that changes nothing", async () => {
    const g = (await scim("POST", "/Groups", { schemas: [GROUP], displayName: "Unknown member" })).body;
    const res = await scim("PATCH", `/Groups/${g.id}`, {
      schemas: [PATCH],
      Operations: [
        { op: "replace", path: "displayName", value: "Changed" },
        { op: "add", path: "members", value: [{ value: "not-a-user" }] },
      ],
    });
    expect(res.status).toBe(400);
    expect((await scim("GET", `/Groups/${g.id}`)).body.displayName).toBe("Unknown member");
  });

  it("a displayName longer than 256 characters is a 400 invalidValue, on create and on rename", async () => {
    const long = "g".repeat(5000);
    expect((await scim("POST", "/Groups", { schemas: [GROUP], displayName: long })).body).toMatchObject({
      status: "400",
      scimType: "invalidValue",
    });
    const g = (await scim("POST", "/Groups", { schemas: [GROUP], displayName: "Short name" })).body;
    const renamed = await scim("PATCH", `/Groups/${g.id}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", path: "displayName", value: long }],
    });
    expect(renamed.body).toMatchObject({ status: "400", scimType: "invalidValue" });
    expect((await scim("GET", `/Groups/${g.id}`)).body.displayName).toBe("Short name");
  });
});

describe("ETags (RFC 7644 §3.14)", () => {
  it("If-None-Match answers 304, a stale If-Match 412, a current one proceeds", async () => {
    const created = await scim("POST", "/Users", user("etag@example.com"));
    const { id } = created.body;
    expect(created.headers.get("etag")).toBe('W/"1"');
    expect((await scim("GET", `/Users/${id}`, undefined, { "If-None-Match": 'W/"1"' })).status).toBe(304);
    const body = { schemas: [PATCH], Operations: [{ op: "replace", path: "displayName", value: "v2" }] };
    expect((await scim("PATCH", `/Users/${id}`, body, { "If-Match": 'W/"1"' })).status).toBe(200);
    const stale = await scim("PATCH", `/Users/${id}`, body, { "If-Match": 'W/"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body.status).toBe("412");
    expect((await scim("DELETE", `/Users/${id}`, undefined, { "If-Match": 'W/"1"' })).status).toBe(412);
    expect((await scim("GET", `/Users/${id}`, undefined, { "If-None-Match": 'W/"1"' })).status).toBe(200);
  });
});

describe("Bulk (RFC 7644 §3.7)", () => {
  const BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
  it("resolves bulkId references and reports each operation", async () => {
    const res = await scim("POST", "/Bulk", {
      schemas: [BULK],
      Operations: [
        {
          method: "POST",
          path: "/Groups",
          bulkId: "g1",
          data: { schemas: [GROUP], displayName: "Bulk group", members: [{ value: "bulkId:u1" }] },
        },
        { method: "POST", path: "/Users", bulkId: "u1", data: user("bulk1@example.com") },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.Operations.map((o: { status: string }) => o.status)).toEqual(["201", "201"]);
    const group = await scim(
      "GET",
      res.body.Operations.find((o: { bulkId: string }) => o.bulkId === "g1").location.replace(/^.*\/Groups/, "/Groups"),
    );
    expect(group.body.members).toHaveLength(1);
  });

  it("stops after failOnErrors failures and answers 413 over maxOperations", async () => {
    const res = await scim("POST", "/Bulk", {
      schemas: [BULK],
      failOnErrors: 1,
      Operations: [
        { method: "POST", path: "/Users", bulkId: "a", data: { schemas: [USER] } },
        { method: "POST", path: "/Users", bulkId: "b", data: user("never@example.com") },
      ],
    });
    expect(res.body.Operations).toHaveLength(1);
    expect(res.body.Operations[0]).toMatchObject({ status: "400", response: { scimType: "invalidValue" } });
    // Recorded as one "bulk" event (an operation the events page filters by), with its tally.
    const event = await db().provisioningEvent.findFirst({
      where: { tenantId: tenant.id, path: { endsWith: "/Bulk" } },
      orderBy: { id: "desc" },
    });
    expect(event).toMatchObject({ operation: "bulk", resourceName: "1 operation, 1 failed", status: 200 });
    const tooMany = await scim("POST", "/Bulk", {
      schemas: [BULK],
      Operations: Array.from({ length: 101 }, (_, i) => ({ method: "DELETE", path: `/Users/${i}` })),
    });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.status).toBe("413");
  });
});

describe("discovery endpoints", () => {
  it("serve ServiceProviderConfig, ResourceTypes, Schemas; other methods 405; /Me 501", async () => {
    const config = await scim("GET", "/ServiceProviderConfig");
    expect(config.body).toMatchObject({
      patch: { supported: true },
      bulk: { supported: true, maxOperations: 100 },
      filter: { supported: true, maxResults: 1000 },
      etag: { supported: true },
    });
    expect((await scim("GET", "/ResourceTypes")).body.Resources.map((r: { id: string }) => r.id)).toEqual(["User", "Group"]);
    expect((await scim("GET", "/ResourceTypes/User")).body.endpoint).toBe("/Users");
    expect((await scim("GET", `/Schemas/${USER}`)).body.id).toBe(USER);
    expect((await scim("GET", "/Schemas/urn:nope")).status).toBe(404);
    for (const [method, path] of [
      ["POST", "/ServiceProviderConfig"],
      ["DELETE", "/Schemas"],
      ["PUT", "/ResourceTypes/User"],
      ["DELETE", "/Users"],
    ] as const) {
      const res = await scim(method, path, method === "POST" || method === "PUT" ? {} : undefined);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.body.schemas).toEqual([ERROR]);
    }
    expect((await scim("GET", "/Me")).status).toBe(501);
    expect((await scim("GET", "/Nope")).status).toBe(404);
  });

  it("refuse a filter with 403 (RFC 7644 §4), so that a client never believes it was applied", async () => {
    for (const path of ["/Schemas", "/ResourceTypes", "/ServiceProviderConfig", `/Schemas/${USER}`, "/ResourceTypes/User"]) {
      const res = await scim("GET", `${path}?filter=${encodeURIComponent('id eq "User"')}`);
      expect(res.status, path).toBe(403);
      expect(res.body.schemas).toEqual([ERROR]);
      expect(res.body.status).toBe("403");
      expect(res.body.detail).toContain("does not support filtering");
    }
    // Without a filter they answer as before (attributes are not a filter).
    expect((await scim("GET", "/Schemas?attributes=id")).status).toBe(200);
  });
});

describe("bad input is a 4xx SCIM error and changes nothing", () => {
  it.each([
    ["malformed JSON", "{not json", 400, "invalidSyntax"],
    ["empty body", "", 400, "invalidSyntax"],
    ["an array", "[]", 400, undefined],
    ["wrong types", JSON.stringify({ schemas: [USER], userName: 42, active: "maybe" }), 400, "invalidValue"],
    ["missing userName", JSON.stringify({ schemas: [USER] }), 400, "invalidValue"],
    ["unknown schema", JSON.stringify({ schemas: [USER, "urn:acme:custom"], userName: "x@y" }), 400, "invalidValue"],
    // Past 32 levels a body is refused before it is parsed (request-body.ts); 9 to 32 by the core's limits.
    [
      "deeply nested",
      JSON.stringify({ schemas: [USER], userName: "deep@x", name: JSON.parse("[".repeat(200) + "]".repeat(200)) }),
      400,
      "invalidSyntax",
    ],
    [
      "nested deeper than 8",
      JSON.stringify({ schemas: [USER], userName: "deep@x", name: JSON.parse("[".repeat(20) + "]".repeat(20)) }),
      400,
      "invalidValue",
    ],
    // Indexed text has a size limit in PostgreSQL: these were 500s.
    [
      "a 5,000-character displayName",
      JSON.stringify({ schemas: [USER], userName: "long@x", displayName: "名".repeat(5000) }),
      400,
      "invalidValue",
    ],
    ["a 5,000-character userName", JSON.stringify({ schemas: [USER], userName: `${"u".repeat(5000)}@x` }), 400, "invalidValue"],
    [
      "a 5,000-character email",
      JSON.stringify({ schemas: [USER], userName: "mail@x", emails: [{ value: `${"e".repeat(5000)}@x.example`, primary: true }] }),
      400,
      "invalidValue",
    ],
  ])("%s", async (_, body, status, scimType) => {
    const before = await userCount();
    const res = await scim("POST", "/Users", body);
    expect(res.status).toBe(status);
    expect(res.body.schemas).toEqual([ERROR]);
    expect(res.body.status).toBe(String(status));
    if (scimType) expect(res.body.scimType).toBe(scimType);
    expect(await userCount()).toBe(before);
  });

  it("a body over the payload limit is 413 with a SCIM error", async () => {
    const res = await scim("POST", "/Users", JSON.stringify({ schemas: [USER], userName: "big@x", displayName: "x".repeat(1_100_000) }));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ schemas: [ERROR], status: "413" });
  });

  it("unicode userNames round-trip exactly and match case-insensitively", async () => {
    const name = "Ünïcødé.名前+😀@example.com";
    const created = await scim("POST", "/Users", user(name, { displayName: "Zoë 名前" }));
    expect(created.status).toBe(201);
    expect(created.body.userName).toBe(name);
    const found = await scim("GET", q(`userName eq "${name.toLowerCase()}"`));
    expect(found.body.Resources[0]?.userName).toBe(name);
  });
});

describe("a NUL character (valid JSON, not storable as PostgreSQL text)", () => {
  it("is a 400 invalidValue in a user, and the request is still recorded, like its neighbours", async () => {
    const t = await newScimTenant();
    const call = scimClient(route, t);
    const [bad, good] = await Promise.all([
      call("POST", "/Users", user("nul\u0000@example.com", { displayName: "a\u0000b" })),
      call("POST", "/Users", user("fine@example.com")),
    ]);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ schemas: [ERROR], scimType: "invalidValue" });
    expect(good.status).toBe(201);
    const events = await db().provisioningEvent.findMany({ where: { tenantId: t.id }, select: { status: true, requestBody: true } });
    expect(events.map((e) => e.status).sort()).toEqual([201, 400]);
    expect(events.find((e) => e.status === 400)?.requestBody).toMatchObject({ userName: "nul\ufffd@example.com" });
    expect((await call("GET", `/Users?filter=${encodeURIComponent('userName eq "a\u0000"')}`)).body).toMatchObject({
      status: "400",
      scimType: "invalidValue",
    });
  });
});

describe("concurrency", () => {
  it("ten identical POSTs create exactly one user; the rest are 409 uniqueness, none 500", async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => scim("POST", "/Users", user("race@example.com"))));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.scimType).toBe("uniqueness");
  });

  it("concurrent PATCHes of one user all succeed (lost races are retried)", async () => {
    const { id } = (await scim("POST", "/Users", user("patchrace@example.com"))).body;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        scim("PATCH", `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: "replace", path: "title", value: `t${i}` }] }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    // No update was lost: eight changes, eight version bumps.
    expect((await scim("GET", `/Users/${id}`)).body.meta.version).toBe('W/"9"');
  });
});

describe("deleting a tenant", () => {
  it("deletes its provisioning events and directory changes (no foreign key: a trigger does it)", async () => {
    const t = await newScimTenant();
    expect((await scimClient(route, t)("POST", "/Users", user("gone@example.com"))).status).toBe(201);
    const logs = async () => [
      await db().provisioningEvent.count({ where: { tenantId: t.id } }),
      await db().directoryChange.count({ where: { tenantId: t.id } }),
    ];
    expect(await logs()).toEqual([1, 1]);
    await db().tenant.delete({ where: { id: t.id } });
    expect(await logs()).toEqual([0, 0]);
  });
});

describe("tenant isolation", () => {
  it("a token of tenant A can neither read nor change anything of tenant B", async () => {
    const a = await newScimTenant();
    const b = await newScimTenant();
    const asA = scimClient(route, a);
    const asB = scimClient(route, b);
    const bUser = (await asB("POST", "/Users", user("victim@b.example"))).body.id;
    const bGroup = (await asB("POST", "/Groups", { schemas: [GROUP], displayName: "B group" })).body.id;
    expect((await asA("GET", `/Users/${bUser}`)).status).toBe(404);
    expect(
      (await asA("PATCH", `/Users/${bUser}`, { schemas: [PATCH], Operations: [{ op: "replace", path: "active", value: false }] })).status,
    ).toBe(404);
    expect((await asA("DELETE", `/Groups/${bGroup}`)).status).toBe(404);
    expect((await asA("GET", q('userName eq "victim@b.example"'))).body.totalResults).toBe(0);
    const aGroup = (await asA("POST", "/Groups", { schemas: [GROUP], displayName: "A group" })).body.id;
    expect(
      (
        await asA("PATCH", `/Groups/${aGroup}`, {
          schemas: [PATCH],
          Operations: [{ op: "add", path: "members", value: [{ value: bUser }] }],
        })
      ).status,
    ).toBe(400);
    // A's token on B's URL is a 401, like any bad token.
    expect((await scimClient(route, { slug: b.slug, token: a.token })("GET", "/Users")).status).toBe(401);
    expect((await asB("GET", `/Users/${bUser}`)).body.active).toBe(true);
  });
});

describe("rate limit", () => {
  it("answers 429 with Retry-After once the tenant's bucket is empty", async () => {
    const t = await newScimTenant();
    const handler = createScimImportHandler({
      config: { ...DEFAULT_SCIM_IMPORT_CONFIG, rateLimit: { perSecond: 0.01, burst: 2 } },
      appUrl: "http://localhost:3000",
    });
    const request = new Request(`http://localhost:3000/api/scim/v2/${t.slug}/Users`, { headers: { Authorization: `Bearer ${t.token}` } });
    const call = () => handler(fromWebRequest(request), t.slug, ["Users"]);
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(200);
    const limited = await call();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["Retry-After"])).toBeGreaterThan(0);
    expect(JSON.parse(limited.body ?? "").status).toBe("429");
  });
});

describe("responses conform to SCIMMY's schema classes", () => {
  it("User (with enterprise extension), Group and ListResponse parse with SCIMMY", async () => {
    // The .d.ts types the argument as a Schema instance; SCIMMY's docs and runtime take the class.
    SCIMMY.Schemas.User.extend(SCIMMY.Schemas.EnterpriseUser as unknown as Parameters<typeof SCIMMY.Schemas.User.extend>[0], false);
    const created = await scim(
      "POST",
      "/Users",
      user("scimmy@example.com", {
        name: { givenName: "S", familyName: "M" },
        emails: [{ value: "scimmy@example.com", type: "work", primary: true }],
        [ENTERPRISE]: { employeeNumber: "7", manager: "m-1" },
      }),
    );
    const parsed = new SCIMMY.Schemas.User(created.body, "out");
    expect(parsed.userName).toBe("scimmy@example.com");
    expect((parsed as unknown as Record<string, { employeeNumber: string }>)[ENTERPRISE]?.employeeNumber).toBe("7");
    expect(parsed.meta?.resourceType).toBe("User");
    const group = await scim("POST", "/Groups", { schemas: [GROUP], displayName: "SCIMMY group", members: [{ value: created.body.id }] });
    const parsedGroup = new SCIMMY.Schemas.Group(group.body, "out");
    expect(parsedGroup.members?.[0]?.value).toBe(created.body.id);
    const list = await scim("GET", "/Users?count=2");
    const message = new SCIMMY.Messages.ListResponse(list.body);
    expect(message.totalResults).toBe(list.body.totalResults);
    for (const resource of list.body.Resources) expect(() => new SCIMMY.Schemas.User(resource, "out")).not.toThrow();
  });
});
