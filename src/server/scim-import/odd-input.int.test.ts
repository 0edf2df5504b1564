/**
 * Odd but well-formed requests, the kind a fuzzer or a buggy client sends: every one is answered
 * below 500, and every refusal is a SCIM error with the status it was sent with (RFC 7644 §3.12).
 * The two 500s this caught (NUL characters, names longer than an index entry) have tests of
 * their own in rfc.int.test.ts.
 */
import { describe, expect, it } from "vitest";
import * as route from "@/app/api/scim/v2/[tenant]/[[...path]]/route";
import { newScimTenant, scimClient } from "../../testing/factories/scim-import";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

describe("odd input", () => {
  it("is never a 5xx, and every refusal is a SCIM error", async () => {
    const call = scimClient(route, await newScimTenant());
    const u = (
      await call("POST", "/Users", {
        schemas: [USER],
        userName: "probe@x.example",
        emails: [{ value: "probe@x.example", type: "work", primary: true }],
      })
    ).body.id;
    const g = (await call("POST", "/Groups", { schemas: [GROUP], displayName: "Probe" })).body.id;
    const f = (filter: string, extra = "") => `/Users?filter=${encodeURIComponent(filter)}${extra}`;
    const cases: [string, string, unknown?][] = [
      ["GET", f('meta.created gt "not-a-date"')],
      ["GET", f('meta.lastModified gt "2020-13-45T99:00:00Z"')],
      ["GET", f('userName co "%_\\\\"')],
      ["GET", f('userName sw "\\u00e9"')],
      ["GET", f('active eq "yes"')],
      ["GET", f("active gt true")],
      ["GET", f('id eq "not-a-uuid"')],
      ["GET", f("emails.value eq 5")],
      ["GET", f('emails[type eq "work" and value co "@"]')],
      ["GET", f("name.givenName eq null")],
      ["GET", f('groups.value eq "x"')],
      ["GET", f("meta.created gt 12345")],
      ["GET", f('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "x"')],
      ["GET", f("x".repeat(5000) + ' eq "a"')],
      ["GET", f('userName eq "' + "a".repeat(60000) + '"')],
      ["GET", "/Users?startIndex=1e309&count=abc"],
      ["GET", "/Users?startIndex=-5&count=-1"],
      ["GET", "/Users?startIndex=99999999999999999999&count=10"],
      ["GET", "/Users?count=99999999999999999999"],
      ["GET", "/Users?sortBy=emails"],
      ["GET", "/Users?sortBy=emails.value&sortOrder=descending"],
      ["GET", "/Users?sortBy=urn:x:y"],
      ["GET", "/Users?sortBy=meta.created"],
      ["GET", '/Users?attributes=emails[type eq "work"]'],
      ["GET", "/Groups?filter=" + encodeURIComponent('members.value eq "nope"')],
      ["GET", "/Groups?filter=" + encodeURIComponent('displayName co ""')],
      ["GET", "/Groups?sortBy=members"],
      ["GET", `/Users/${u}?attributes=` + "a,".repeat(3000)],
      ["PATCH", `/Users/${u}`, { schemas: [PATCH], Operations: [{ op: "replace", path: 'emails[type eq "work"].value', value: 5 }] }],
      ["PATCH", `/Users/${u}`, { schemas: [PATCH], Operations: [{ op: "add", path: "emails", value: { value: "e".repeat(300) } }] }],
      ["PATCH", `/Users/${u}`, { schemas: [PATCH], Operations: [{ op: "replace", path: "userName", value: "u".repeat(300) }] }],
      ["PATCH", `/Users/${u}`, { schemas: [PATCH], Operations: [{ op: "replace", value: { "name.givenName": "g".repeat(300) } }] }],
      ["PATCH", `/Users/${u}`, { schemas: [PATCH], Operations: [{ op: "replace", path: "title", value: "t".repeat(60000) }] }],
      ["PATCH", `/Users/${u}`, { schemas: [PATCH], Operations: [{ op: "remove", path: "userName" }] }],
      ["PATCH", `/Users/${u}`, { schemas: [PATCH], Operations: [{ op: "replace", path: "active", value: "False" }] }],
      [
        "PATCH",
        `/Users/${u}`,
        {
          schemas: [PATCH],
          Operations: [
            { op: "replace", path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", value: "m".repeat(5000) },
          ],
        },
      ],
      [
        "PATCH",
        `/Users/${u}`,
        { schemas: [PATCH], Operations: [{ op: "replace", path: "addresses", value: [{ streetAddress: "s".repeat(60000) }] }] },
      ],
      [
        "PATCH",
        `/Users/${u}`,
        { schemas: [PATCH], Operations: Array.from({ length: 2000 }, () => ({ op: "replace", path: "title", value: "x" })) },
      ],
      ["PATCH", `/Groups/${g}`, { schemas: [PATCH], Operations: [{ op: "replace", path: "displayName", value: 5 }] }],
      ["PATCH", `/Groups/${g}`, { schemas: [PATCH], Operations: [{ op: "add", path: "members", value: [{ value: u }, { value: u }] }] }],
      ["PATCH", `/Groups/${g}`, { schemas: [PATCH], Operations: [{ op: "remove", path: 'members[value eq "nope"]' }] }],
      ["PATCH", `/Groups/${g}`, { schemas: [PATCH], Operations: [{ op: "add", path: "members", value: [{ value: g }] }] }],
      ["PATCH", `/Groups/${g}`, { schemas: [PATCH], Operations: [{ op: "replace", path: "externalId", value: "e".repeat(5000) }] }],
      ["PUT", `/Users/${u}`, { schemas: [USER], userName: "probe@x.example", externalId: "x".repeat(300) }],
      ["PUT", `/Groups/${g}`, { schemas: [GROUP], displayName: "Probe", members: [{ value: "x".repeat(300) }] }],
      [
        "POST",
        "/Users",
        {
          schemas: [USER],
          userName: "m@x",
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { manager: { value: "v".repeat(9000) } },
        },
      ],
      ["POST", "/Users", { schemas: [USER], userName: "d@x", employeeNumber: "e".repeat(9000) }],
      [
        "POST",
        "/Users",
        {
          schemas: [USER],
          userName: "d2@x",
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: "d".repeat(9000) },
        },
      ],
      [
        "POST",
        "/Users",
        { schemas: [USER], userName: "loc@x", locale: "l".repeat(9000), title: "t".repeat(9000), nickName: "n".repeat(9000) },
      ],
      ["POST", "/Users", { schemas: [USER], userName: "ph@x", phoneNumbers: [{ value: "1".repeat(9000) }] }],
      ["POST", "/Users", { schemas: [USER], userName: "x@x", name: { honorificPrefix: "h".repeat(9000) } }],
      [
        "POST",
        "/Bulk",
        {
          schemas: [BULK],
          Operations: [
            { method: "POST", path: "/Users", bulkId: "a", data: { schemas: [USER], userName: "b1@x" } },
            {
              method: "POST",
              path: "/Groups",
              bulkId: "b",
              data: { schemas: [GROUP], displayName: "BG", members: [{ value: "bulkId:a" }, { value: "bulkId:zz" }] },
            },
          ],
        },
      ],
      [
        "POST",
        "/Bulk",
        {
          schemas: [BULK],
          Operations: [{ method: "PATCH", path: "/Users/bulkId:q", bulkId: "q", data: { schemas: [PATCH], Operations: [] } }],
        },
      ],
      ["POST", "/Bulk", { schemas: [BULK], Operations: [{ method: "DELETE", path: "/Users/../Groups/" + g }] }],
      [
        "POST",
        "/.search",
        { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: 'displayName co "P"', startIndex: 0, count: 5 },
      ],
      ["POST", "/Users/.search", { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], attributes: "userName" }],
      ["GET", `/Users/${"%2e%2e"}`],
      ["DELETE", `/Groups/${u}`],
      ["GET", `/Users/${u}`, undefined],
    ];
    const bad: string[] = [];
    for (const [method, path, body] of cases) {
      const res = await call(method as "GET", path, body);
      const refusedProperly =
        res.status < 400 || (res.status < 500 && res.body?.schemas?.[0] === ERROR && res.body.status === String(res.status));
      if (!refusedProperly) bad.push(`${res.status} ${method} ${path.slice(0, 120)} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
    expect(bad).toEqual([]);
  });
});
