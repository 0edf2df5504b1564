/**
 * Issue 13, item 9 (SCIM parts): text that is not well-formed UTF-16 is refused on every write and
 * filter (and the refusal is recorded), and look-alike userNames are one user: surrounding
 * whitespace is trimmed at write, and uniqueness and `userName eq` compare a canonical key
 * (Unicode NFKC, then lower case), while the userName is stored and returned as sent (trimmed).
 */
import { beforeEach, describe, expect, it } from "vitest";
import * as route from "@/app/api/scim/v2/[tenant]/[[...path]]/route";
import { db } from "@/server/db";
import { pool } from "@/server/db/connections";
import { createUserFromConsole, findUserByUserName } from "@/server/directory";
import { USER_COLUMNS, userWhere } from "@/server/directory/scim-columns";
import { newScimTenant, scimClient } from "@/testing/factories/scim-import";
import { parseFilter } from "@/server/scim";
import { findUserByIdentifier } from "@/server/sso/sign-in";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
/** A lone high surrogate as the JSON escape a client sends (JSON.stringify would send the same). */
const LONE = "\\ud800";

let tenant: Awaited<ReturnType<typeof newScimTenant>>;
let scim: ReturnType<typeof scimClient>;
beforeEach(async () => {
  tenant = await newScimTenant();
  scim = scimClient(route, tenant);
});

const lastEvent = () => db().provisioningEvent.findFirst({ where: { tenantId: tenant.id }, orderBy: { id: "desc" } });
const filtered = (filter: string) => `/Users?filter=${encodeURIComponent(filter)}`;

describe("lone surrogates are refused with 400 invalidValue, and the event is recorded", () => {
  let userId: string;
  let groupId: string;
  beforeEach(async () => {
    userId = (await scim("POST", "/Users", { schemas: [USER], userName: "whole@example.com" })).body.id;
    groupId = (await scim("POST", "/Groups", { schemas: [GROUP], displayName: "Whole" })).body.id;
  });

  const cases: [string, "GET" | "POST" | "PUT" | "PATCH", () => string, string?][] = [
    ["POST /Users userName", "POST", () => "/Users", `{"schemas":["${USER}"],"userName":"a${LONE}@example.com"}`],
    ["POST /Users displayName", "POST", () => "/Users", `{"schemas":["${USER}"],"userName":"b@example.com","displayName":"x${LONE}"}`],
    ["POST /Users, a key", "POST", () => "/Users", `{"schemas":["${USER}"],"userName":"c@example.com","x${LONE}":"y"}`],
    ["PUT /Users/{id}", "PUT", () => `/Users/${userId}`, `{"schemas":["${USER}"],"userName":"whole${LONE}@example.com"}`],
    [
      "PATCH /Users/{id}",
      "PATCH",
      () => `/Users/${userId}`,
      `{"schemas":["${PATCH}"],"Operations":[{"op":"replace","path":"userName","value":"d${LONE}"}]}`,
    ],
    [
      "PATCH /Users/{id} deactivate-shaped",
      "PATCH",
      () => `/Users/${userId}`,
      `{"schemas":["${PATCH}"],"Operations":[{"op":"replace","path":"active","value":false,"x":"${LONE}"}]}`,
    ],
    ["POST /Groups", "POST", () => "/Groups", `{"schemas":["${GROUP}"],"displayName":"G${LONE}"}`],
    [
      "PATCH /Groups/{id}",
      "PATCH",
      () => `/Groups/${groupId}`,
      `{"schemas":["${PATCH}"],"Operations":[{"op":"replace","path":"displayName","value":"G\\udfff"}]}`,
    ],
    [
      "POST /Bulk",
      "POST",
      () => "/Bulk",
      `{"schemas":["${BULK}"],"Operations":[{"method":"POST","path":"/Users","bulkId":"a","data":{"schemas":["${USER}"],"userName":"e${LONE}"}}]}`,
    ],
    ["POST /Users/.search filter", "POST", () => "/Users/.search", `{"schemas":["${SEARCH}"],"filter":"userName eq \\"f${LONE}\\""}`],
    ["GET /Users?filter=", "GET", () => filtered(`userName eq "g${LONE}"`)],
    ["GET /Users?filter= in a value path", "GET", () => filtered(`emails[value eq "h${LONE}"]`)],
  ];

  it.each(cases)("%s", async (_, method, path, body) => {
    const users = await db().directoryUser.count({ where: { tenantId: tenant.id } });
    const res = await scim(method, path(), body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body).toMatchObject({ schemas: [ERROR], status: "400", scimType: "invalidValue" });
    expect(res.body.detail).toMatch(/UTF-16|surrogate/i);
    expect(await lastEvent()).toMatchObject({ method, status: 400, operation: "error" });
    expect(await db().directoryUser.count({ where: { tenantId: tenant.id } })).toBe(users);
    expect((await scim("GET", `/Users/${userId}`)).body.userName).toBe("whole@example.com");
  });

  it("a well-formed pair of surrogates (an emoji) is fine", async () => {
    const res = await scim("POST", "/Users", `{"schemas":["${USER}"],"userName":"smile\\ud83d\\ude00@example.com"}`);
    expect(res.status).toBe(201);
    expect(res.body.userName).toBe("smile\u{1F600}@example.com");
  });
});

describe("look-alike userNames are the same user (trimmed, NFKC, case-insensitive)", () => {
  beforeEach(async () => {
    const created = await scim("POST", "/Users", { schemas: [USER], userName: "  alice@x.example " });
    expect(created.status).toBe(201);
    expect(created.body.userName).toBe("alice@x.example");
  });

  it.each([
    ["alice@x.example "],
    ["\talice@x.example"],
    ["ALICE@X.EXAMPLE"],
    ["ａｌｉｃｅ@x.example"],
    ["Ａｌｉｃｅ＠ｘ．ｅｘａｍｐｌｅ"],
    ["alice@x.example\u3000"],
  ])("POST %j is a 409 uniqueness", async (userName) => {
    const res = await scim("POST", "/Users", { schemas: [USER], userName });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ schemas: [ERROR], scimType: "uniqueness" });
  });

  it.each([["alice@x.example "], ["ａｌｉｃｅ@x.example"], ["ALICE@x.example"]])(
    "userName eq %j finds alice (GET and .search)",
    async (userName) => {
      const get = await scim("GET", filtered(`userName eq ${JSON.stringify(userName)}`));
      expect(get.body.Resources.map((r: { userName: string }) => r.userName)).toEqual(["alice@x.example"]);
      const search = await scim("POST", "/Users/.search", { schemas: [SEARCH], filter: `userName eq ${JSON.stringify(userName)}` });
      expect(search.body.totalResults).toBe(1);
    },
  );

  it("sw and co compare the same key", async () => {
    expect((await scim("GET", filtered('userName sw "ＡＬＩ"'))).body.totalResults).toBe(1);
    expect((await scim("GET", filtered('userName co "@Ｘ."'))).body.totalResults).toBe(1);
  });

  it("a userName sent in fullwidth letters is kept as sent, and its ASCII twin collides", async () => {
    const bob = await scim("POST", "/Users", { schemas: [USER], userName: "ｂｏｂ@x.example" });
    expect(bob.status).toBe(201);
    expect(bob.body.userName).toBe("ｂｏｂ@x.example");
    expect((await scim("GET", `/Users/${bob.body.id}`)).body.userName).toBe("ｂｏｂ@x.example");
    expect((await scim("POST", "/Users", { schemas: [USER], userName: "Bob@x.example" })).status).toBe(409);
  });

  it("renaming (PATCH, PUT, Bulk) to a look-alike of another user is a 409", async () => {
    const carol = (await scim("POST", "/Users", { schemas: [USER], userName: "carol@x.example" })).body.id;
    const patched = await scim("PATCH", `/Users/${carol}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", path: "userName", value: "ａｌｉｃｅ@x.example" }],
    });
    expect(patched.status).toBe(409);
    const put = await scim("PUT", `/Users/${carol}`, { schemas: [USER], userName: "Alice@X.example  " });
    expect(put.status).toBe(409);
    const bulk = await scim("POST", "/Bulk", {
      schemas: [BULK],
      Operations: [{ method: "POST", path: "/Users", bulkId: "a", data: { schemas: [USER], userName: "ALICE@x.example\u00a0" } }],
    });
    expect(bulk.body.Operations[0]).toMatchObject({ status: "409" });
  });

  it("a PUT that only adds surrounding whitespace changes nothing", async () => {
    const [alice] = (await scim("GET", filtered('userName eq "alice@x.example"'))).body.Resources;
    const put = await scim("PUT", `/Users/${alice.id}`, { schemas: [USER], userName: " alice@x.example  " });
    expect(put.status).toBe(200);
    expect(put.body.meta.version).toBe(alice.meta.version);
  });

  it("console-created users follow the same rule", async () => {
    const form = {
      userName: "ａｌｉｃｅ@x.example",
      givenName: "",
      familyName: "",
      displayName: "",
      email: "",
      title: "",
      department: "",
      active: true,
    };
    await expect(createUserFromConsole({ tenantId: tenant.id, form })).rejects.toMatchObject({ code: "CONFLICT" });
    const dave = await createUserFromConsole({ tenantId: tenant.id, form: { ...form, userName: " Ｄａｖｅ@x.example " } });
    expect(dave.userName).toBe("Ｄａｖｅ@x.example");
    expect((await scim("POST", "/Users", { schemas: [USER], userName: "dave@x.example" })).status).toBe(409);
    await expect(findUserByUserName({ tenantId: tenant.id, userName: "DAVE@x.example " })).resolves.toMatchObject({ id: dave.id });
  });

  it("SSO sign-in finds the user by the same key (an IdP that sends the identifier in fullwidth letters)", async () => {
    await expect(findUserByIdentifier({ tenantId: tenant.id, identifier: "ａｌｉｃｅ@x.example" })).resolves.toMatchObject({
      userName: "alice@x.example",
    });
    await expect(findUserByIdentifier({ tenantId: tenant.id, identifier: " ALICE@x.example" })).resolves.toMatchObject({
      userName: "alice@x.example",
    });
  });

  it("userName eq stays an index lookup on (tenantId, userNameKey)", async () => {
    const where = userWhere(tenant.id, { filter: parseFilter('userName eq "ａｌｉｃｅ@x.example"') });
    const client = await pool().connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL enable_seqscan = off");
      const { rows } = await client.query(`EXPLAIN SELECT u.id FROM "DirectoryUser" u WHERE ${where.text}`, where.values);
      const plan = rows.map((row) => row["QUERY PLAN"]).join("\n");
      expect(plan).toMatch(/Index (Only )?Scan using "?DirectoryUser_tenantId_userNameKey/);
      expect(plan).not.toMatch(/lower\(|normalize\(/);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
    expect(USER_COLUMNS.columns.userName).toMatchObject({ lowerColumn: 'u."userNameKey"' });
  });
});

describe("the migration re-keys userNames stored before the fix", () => {
  it("stores the canonical key, leaves look-alikes that would collide as they were", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const folders = readdirSync("prisma/migrations").filter((name) => name.endsWith("_canonical_user_name_key"));
    expect(folders).toHaveLength(1);
    const migration = readFileSync(`prisma/migrations/${folders[0]}/migration.sql`, "utf8");
    // Pre-fix rows: the key was lower(userName), untrimmed, not normalised.
    const insert = (userName: string, createdAt: string) =>
      pool().query(
        `INSERT INTO "DirectoryUser" (id, "tenantId", source, "userName", "userNameKey", "searchText", "createdAt", "updatedAt")
         VALUES (gen_random_uuid(), $1, 'SCIM', $2, $3, '', $4, $4) RETURNING id`,
        [tenant.id, userName, userName.toLowerCase(), createdAt],
      );
    await insert("erin@x.example ", "2026-01-01");
    await insert("ＦＲＡＮＫ@x.example", "2026-01-02");
    await insert("gina@x.example", "2026-01-03");
    await insert("ｇｉｎａ@x.example", "2026-01-04");
    await pool().query(migration);
    const keys = await pool().query(`SELECT "userName", "userNameKey" FROM "DirectoryUser" WHERE "tenantId" = $1 ORDER BY "createdAt"`, [
      tenant.id,
    ]);
    expect(keys.rows.filter((row) => row.userName !== "alice@x.example")).toEqual([
      { userName: "erin@x.example ", userNameKey: "erin@x.example" },
      { userName: "ＦＲＡＮＫ@x.example", userNameKey: "frank@x.example" },
      { userName: "gina@x.example", userNameKey: "gina@x.example" },
      // Would collide with gina: kept apart (an administrator merges or renames one of them).
      { userName: "ｇｉｎａ@x.example", userNameKey: "ｇｉｎａ@x.example" },
    ]);
    const frank = await scim("GET", filtered('userName eq "FRANK@x.example"'));
    expect(frank.body, JSON.stringify(frank.body)).toMatchObject({ totalResults: 1 });
    await pool().query(migration);
  });
});
