import { describe, expect, it } from "vitest";
import { attributePathText, elementPath, equalityFilter, listQueryString, parseListResponse, patchRequest } from "./client-messages";
import { parseFilter, formatFilter } from "./parse-filter";
import { parsePatchPath } from "./parse-path";
import { parseListQuery } from "./list-query";
import { parsePatchRequest } from "./apply-patch";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

describe("equalityFilter (RFC 7644 §3.4.2.2)", () => {
  it.each([
    // §3.4.2.2's own example
    ["userName", "bjensen", 'userName eq "bjensen"'],
    ["displayName", "Data Team", 'displayName eq "Data Team"'],
    ["externalId", "ext-1", 'externalId eq "ext-1"'],
    // String values are JSON strings (RFC 7159 §7): quotes and backslashes escaped
    ["userName", 'a"b\\c', 'userName eq "a\\"b\\\\c"'],
    ["name.familyName", "O'Malley", 'name.familyName eq "O\'Malley"'],
    [`${ENTERPRISE}:employeeNumber`, "701984", `${ENTERPRISE}:employeeNumber eq "701984"`],
  ])("%s eq %j → %s, which our parser reads back to the same filter", (attribute, value, expected) => {
    const filter = equalityFilter(attribute, value);
    expect(filter).toBe(expected);
    expect(formatFilter(parseFilter(filter))).toBe(filter);
  });

  it("refuses an attribute that is not an attribute path (never sends a filter built from a bad name)", () => {
    expect(() => equalityFilter("user name", "x")).toThrow(/invalid attribute/);
    expect(() => equalityFilter("a.b.c", "x")).toThrow(/invalid attribute/);
  });
});

describe("elementPath (RFC 7644 §3.5.2 valuePath)", () => {
  it("is the path §3.5.2.2 removes a single member with, and our PATCH parser reads it back", () => {
    const path = elementPath("members", "2819c223-7f76-453a-919d-413861904646");
    expect(path).toBe('members[value eq "2819c223-7f76-453a-919d-413861904646"]');
    const parsed = parsePatchPath(path);
    expect(parsed.attribute).toBe("members");
    expect(parsed.filter).toEqual({
      kind: "compare",
      path: { schema: undefined, attribute: "value", subAttribute: undefined },
      op: "eq",
      value: "2819c223-7f76-453a-919d-413861904646",
    });
  });

  it("escapes a value with quotes in it (an entitlement is free text)", () => {
    expect(elementPath("entitlements", 'say "hi"')).toBe('entitlements[value eq "say \\"hi\\""]');
    expect(parsePatchPath(elementPath("entitlements", 'say "hi"')).filter).toMatchObject({ value: 'say "hi"' });
  });
});

describe("attributePathText (RFC 7644 §3.10)", () => {
  it("prefixes an extension attribute with its schema URN, leaves core ones as they are", () => {
    expect(attributePathText("department", ENTERPRISE)).toBe(`${ENTERPRISE}:department`);
    expect(attributePathText("name.givenName")).toBe("name.givenName");
    expect(parsePatchPath(attributePathText("department", ENTERPRISE))).toMatchObject({ schema: ENTERPRISE, attribute: "department" });
  });
});

describe("patchRequest (RFC 7644 §3.5.2)", () => {
  it("is a PatchOp body our own server accepts", () => {
    const body = patchRequest([
      { op: "replace", path: "active", value: false },
      { op: "remove", path: elementPath("members", "2819c223-7f76-453a-919d-413861904646") },
    ]);
    expect(body).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [
        { op: "replace", path: "active", value: false },
        { op: "remove", path: 'members[value eq "2819c223-7f76-453a-919d-413861904646"]' },
      ],
    });
    expect(parsePatchRequest(body)).toHaveLength(2);
  });
});

describe("listQueryString (RFC 7644 §3.4.2)", () => {
  it("percent-encodes the filter (spaces as %20) and our list parser reads it back", () => {
    const query = listQueryString({ filter: equalityFilter("userName", "a b&c"), startIndex: 1, count: 2 });
    expect(query).toBe("filter=userName%20eq%20%22a%20b%26c%22&startIndex=1&count=2");
    const parsed = parseListQuery(query);
    expect(parsed).toMatchObject({ filterText: 'userName eq "a b&c"', startIndex: 1, count: 2 });
  });

  it("leaves out what is not given", () => {
    expect(listQueryString({ startIndex: 101, count: 100 })).toBe("startIndex=101&count=100");
  });
});

describe("parseListResponse (RFC 7644 §3.4.2)", () => {
  it("reads §3.4.2's example response", () => {
    const page = parseListResponse<{ id: string }>({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
      totalResults: 2,
      Resources: [{ id: "2819c223-7f76-453a-919d-413861904646" }, { id: "c75ad752-64ae-4823-840d-ffa80929976c" }],
    });
    expect(page).toEqual({
      isListResponse: true,
      resources: [{ id: "2819c223-7f76-453a-919d-413861904646" }, { id: "c75ad752-64ae-4823-840d-ffa80929976c" }],
      totalResults: 2,
      startIndex: undefined,
      itemsPerPage: undefined,
    });
  });

  it("takes a missing Resources as an empty page (REQUIRED only when totalResults is non-zero) and a URN in any case", () => {
    expect(
      parseListResponse({
        schemas: ["URN:ietf:params:scim:api:messages:2.0:listresponse"],
        totalResults: 0,
        startIndex: 1,
        itemsPerPage: 0,
      }),
    ).toEqual({ isListResponse: true, resources: [], totalResults: 0, startIndex: 1, itemsPerPage: 0 });
  });

  it("never throws on what is not a ListResponse", () => {
    for (const body of [null, "text", [], { totalResults: "3", Resources: {} }]) {
      expect(parseListResponse(body)).toEqual({
        isListResponse: false,
        resources: [],
        totalResults: undefined,
        startIndex: undefined,
        itemsPerPage: undefined,
      });
    }
  });
});
