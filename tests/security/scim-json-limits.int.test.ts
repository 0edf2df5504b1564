/**
 * Issue 13, item 4 (SCIM Import): deeply nested JSON (10,000 levels) and deeply nested filters are
 * refused with a 400 SCIM error before anything recurses over them, on every entry point, and the
 * request's provisioning event is still recorded, with the refused body as a short preview.
 */
import { beforeEach, describe, expect, it } from "vitest";
import * as route from "@/app/api/scim/v2/[tenant]/[[...path]]/route";
import { db } from "@/server/db";
import { newScimTenant, scimClient } from "@/testing/factories/scim-import";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const LEVELS = 10_000;

let tenant: Awaited<ReturnType<typeof newScimTenant>>;
let scim: ReturnType<typeof scimClient>;
let userId: string;
let groupId: string;
beforeEach(async () => {
  tenant = await newScimTenant();
  scim = scimClient(route, tenant);
  userId = (await scim("POST", "/Users", { schemas: [USER], userName: "deep@example.com" })).body.id;
  groupId = (await scim("POST", "/Groups", { schemas: [GROUP], displayName: "Deep" })).body.id;
});

/** `{"a":{"a":…}}` or `[[…]]`, `levels` deep, spliced into `template` at `$`. */
const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
const deepArray = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;
const into = (template: object, nested: string) => JSON.stringify(template).replace('"$"', nested);

async function lastEvent() {
  return db().provisioningEvent.findFirst({ where: { tenantId: tenant.id }, orderBy: { id: "desc" } });
}

async function expectRefused(method: "POST" | "PUT" | "PATCH" | "GET", path: string, body: string | undefined, scimType: string) {
  const res = await scim(method, path, body);
  expect(res.status, JSON.stringify(res.body)?.slice(0, 300)).toBe(400);
  expect(res.body).toMatchObject({ schemas: [ERROR], status: "400", scimType });
  const event = await lastEvent();
  expect(event).toMatchObject({ method, status: 400, operation: "error" });
  expect(event?.path).toContain(path.split("?")[0]);
  return { res, event };
}

const bodies = (nested: string): Record<string, [string, string | (() => string), string]> => ({
  "POST /Users": ["POST", "/Users", into({ schemas: [USER], userName: "x@example.com", title: "$" }, nested)],
  "PUT /Users/{id}": ["PUT", () => `/Users/${userId}`, into({ schemas: [USER], userName: "deep@example.com", title: "$" }, nested)],
  "PATCH /Users/{id}": [
    "PATCH",
    () => `/Users/${userId}`,
    into({ schemas: [PATCH], Operations: [{ op: "replace", path: "title", value: "$" }] }, nested),
  ],
  "POST /Users/.search": ["POST", "/Users/.search", into({ schemas: [SEARCH], filter: "$" }, nested)],
  "POST /.search": ["POST", "/.search", into({ schemas: [SEARCH], attributes: "$" }, nested)],
  "POST /Groups": ["POST", "/Groups", into({ schemas: [GROUP], displayName: "G", members: "$" }, nested)],
  "PATCH /Groups/{id}": [
    "PATCH",
    () => `/Groups/${groupId}`,
    into({ schemas: [PATCH], Operations: [{ op: "add", path: "members", value: "$" }] }, nested),
  ],
  "POST /Bulk": [
    "POST",
    "/Bulk",
    into(
      {
        schemas: [BULK],
        Operations: [{ method: "POST", path: "/Users", bulkId: "a", data: { schemas: [USER], userName: "b@example.com", title: "$" } }],
      },
      nested,
    ),
  ],
});

describe("JSON nested 10,000 levels deep", () => {
  for (const [name, nested] of [
    ["objects", deepObject(LEVELS)],
    ["arrays", deepArray(LEVELS)],
  ] as const) {
    for (const [entry, [method, path, body]] of Object.entries(bodies(nested))) {
      it(`${entry} (${name}): 400 invalidSyntax, event recorded with a short preview`, async () => {
        const { event } = await expectRefused(method as "POST", typeof path === "function" ? path() : path, body, "invalidSyntax");
        const stored = JSON.stringify(event?.requestBody);
        expect(stored.length).toBeLessThan(4_000);
        expect(event?.requestBody).toMatchObject({ refused: expect.any(String), sizeChars: body.length, preview: expect.any(String) });
      });
    }
  }

  it("the preview of a refused body keeps the protocol's words and masks every value (no password)", async () => {
    const secret = "Hunter2-Zq9";
    const body = into(
      {
        schemas: [PATCH],
        Operations: [
          { op: "replace", path: "password", value: secret },
          { op: "add", path: "title", value: "$" },
        ],
      },
      deepObject(LEVELS),
    );
    const { event } = await expectRefused("PATCH", `/Users/${userId}`, body, "invalidSyntax");
    expect(JSON.stringify({ ...event, id: String(event?.id) })).not.toContain(secret);
    const preview = (event?.requestBody as { preview: string }).preview;
    expect(preview).toContain(
      `{"schemas":["${PATCH}"],"Operations":[{"op":"replace","path":"password","value":"…"},{"op":"add","path":"title","value":{"a":{"a":`,
    );
  });

  it("a body that is not JSON is recorded as a masked preview, and its error does not quote it", async () => {
    const secret = "Hunter2-Zq9";
    const { res, event } = await expectRefused(
      "POST",
      "/Users",
      `{"schemas":["${USER}"],"userName":"x@example.com","password":${secret}}`,
      "invalidSyntax",
    );
    expect(res.body.detail).not.toContain(secret);
    expect(JSON.stringify({ ...event, id: String(event?.id) })).not.toContain(secret);
    expect(event?.requestBody).toMatchObject({ refused: "not valid JSON" });
  });

  it("a body just within the depth limit is still served", async () => {
    const ok = await scim("POST", "/Users", {
      schemas: [USER],
      userName: "ok@example.com",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { manager: { value: userId } },
      emails: [{ value: "ok@example.com", primary: true }],
    });
    expect(ok.status).toBe(201);
  });

  it("a body over the size limit is a 413 SCIM error and is recorded", async () => {
    const res = await scim(
      "POST",
      "/Users",
      JSON.stringify({ schemas: [USER], userName: "big@example.com", title: "x".repeat(1_100_000) }),
    );
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ schemas: [ERROR], status: "413" });
    expect(await lastEvent()).toMatchObject({ status: 413, operation: "error" });
  });
});

describe("deeply nested filters", () => {
  const parens = (levels: number) => `${"(".repeat(levels)}userName eq "x"${")".repeat(levels)}`;
  const nots = (levels: number) => `${"not (".repeat(levels)}userName eq "x"${")".repeat(levels)}`;

  it.each([
    ["10,000 parentheses", parens(LEVELS)],
    ["1,500 parentheses (under the length limit)", parens(1_500)],
    ["600 nested not (…)", nots(600)],
  ])("GET /Users?filter= with %s: 400 invalidFilter, event recorded", async (_, filter) => {
    await expectRefused("GET", `/Users?filter=${encodeURIComponent(filter)}`, undefined, "invalidFilter");
  });

  it("POST /Users/.search and /.search with 1,500 parentheses", async () => {
    await expectRefused("POST", "/Users/.search", JSON.stringify({ schemas: [SEARCH], filter: parens(1_500) }), "invalidFilter");
    await expectRefused("POST", "/.search", JSON.stringify({ schemas: [SEARCH], filter: parens(1_500) }), "invalidFilter");
  });

  it("a PATCH path whose value filter nests 1,500 parentheses", async () => {
    const path = `emails[${"(".repeat(1_500)}type eq "work"${")".repeat(1_500)}].value`;
    await expectRefused(
      "PATCH",
      `/Users/${userId}`,
      JSON.stringify({ schemas: [PATCH], Operations: [{ op: "replace", path, value: "a@example.com" }] }),
      "invalidFilter",
    );
  });

  it("a Bulk PATCH with the same path fails that operation only", async () => {
    const path = `emails[${"(".repeat(1_500)}type eq "work"${")".repeat(1_500)}].value`;
    const res = await scim("POST", "/Bulk", {
      schemas: [BULK],
      Operations: [
        {
          method: "PATCH",
          path: `/Users/${userId}`,
          data: { schemas: [PATCH], Operations: [{ op: "replace", path, value: "a@example.com" }] },
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.Operations[0]).toMatchObject({ status: "400", response: { scimType: "invalidFilter" } });
    expect(await lastEvent()).toMatchObject({ status: 200, operation: "bulk" });
  });
});
