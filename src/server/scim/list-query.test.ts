import { describe, expect, it } from "vitest";
import { listResponse, parseListQuery, parseSearchRequest } from "./list-query";
import { formatFilter } from "./parse-filter";

const config = { defaultCount: 100, maxCount: 500 };

describe("parseListQuery (RFC 7644 §3.4.2)", () => {
  it("defaults: /Users without startIndex/count still lists (INTEROP: returning nothing was a bug)", () => {
    expect(parseListQuery("", config)).toEqual({
      filter: undefined,
      startIndex: 1,
      count: 100,
      sortBy: undefined,
      sortOrder: "ascending",
      attributes: [],
      excludedAttributes: [],
    });
  });

  it.each([
    ["Okta lookup", "?filter=userName%20eq%20%22x%40y.com%22&startIndex=1&count=100", 'userName eq "x@y.com"', 1, 100],
    ["Entra encodes spaces as +", "filter=userName+eq+%22x%22", 'userName eq "x"', 1, 100],
    ["a + inside a value stays when percent-encoded", "filter=userName+eq+%22a%2Bb%40x%22", 'userName eq "a+b@x"', 1, 100],
    [
      "Entra emails value path",
      "filter=emails%5Btype+eq+%22work%22%5D.value+eq+%22a%40b%22",
      'emails[type eq "work" and value eq "a@b"]',
      1,
      100,
    ],
    ["startIndex < 1 reads as 1", "startIndex=0", undefined, 1, 100],
    ["negative startIndex reads as 1", "startIndex=-5", undefined, 1, 100],
    ["count=0 returns only totalResults", "count=0", undefined, 1, 0],
    ["negative count reads as 0", "count=-3", undefined, 1, 0],
    ["count over the maximum is lowered", "count=100000", undefined, 1, 500],
    ["paging by 100", "startIndex=201&count=100", undefined, 201, 100],
    ["parameter names in any case", "STARTINDEX=3&Count=7", undefined, 3, 7],
    ["empty values are absent", "filter=&count=", undefined, 1, 100],
    ["unknown parameters are ignored (Entra)", "foo=bar&aadOptscim062020=1", undefined, 1, 100],
    ["URLSearchParams input", new URLSearchParams({ filter: 'displayName eq "G"', count: "5" }), 'displayName eq "G"', 1, 5],
    ["huge numbers saturate", "startIndex=99999999999999999999", undefined, Number.MAX_SAFE_INTEGER, 100],
  ])("%s", (_name, query, filter, startIndex, count) => {
    const parsed = parseListQuery(query, config);
    expect(parsed.filter ? formatFilter(parsed.filter) : undefined).toBe(filter);
    expect(parsed.startIndex).toBe(startIndex);
    expect(parsed.count).toBe(count);
  });

  it("reads sort and attribute lists", () => {
    expect(
      parseListQuery("sortBy=name.familyName&sortOrder=Descending&attributes=userName, emails.value&excludedAttributes=members", config),
    ).toMatchObject({
      sortBy: "name.familyName",
      sortOrder: "descending",
      attributes: ["userName", "emails.value"],
      excludedAttributes: ["members"],
    });
  });

  it.each([
    ["count=abc", "invalidValue", /count must be an integer/],
    ["count=1.5", "invalidValue", /count must be an integer/],
    ["startIndex=1e3", "invalidValue", /startIndex must be an integer/],
    ["sortOrder=up", "invalidValue", /sortOrder must be "ascending" or "descending"/],
    ["attributes=name..x", "invalidValue", /invalid sub-attribute|not an attribute path/],
    ["filter=userName+eq", "invalidFilter", /expected a value/],
    ["filter=userName+regex+%22x%22", "invalidFilter", /"regex" is not supported/],
  ])("rejects %s with 400 %s", (query, scimType, message) => {
    expect(() => parseListQuery(query, config)).toThrow(
      expect.objectContaining({ status: 400, scimType, message: expect.stringMatching(message) }),
    );
  });
});

describe("parseSearchRequest (POST /.search, RFC 7644 §3.4.3)", () => {
  const SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
  it("reads the RFC example", () => {
    const query = parseSearchRequest(
      {
        schemas: [SEARCH],
        attributes: ["displayName", "userName"],
        excludedAttributes: [],
        filter: 'displayName sw "smith"',
        startIndex: 1,
        count: 10,
      },
      config,
    );
    expect(query).toMatchObject({ startIndex: 1, count: 10, attributes: ["displayName", "userName"], excludedAttributes: [] });
    expect(formatFilter(query.filter as NonNullable<typeof query.filter>)).toBe('displayName sw "smith"');
  });

  it("accepts comma-separated strings for attribute lists and applies the same bounds", () => {
    expect(parseSearchRequest({ schemas: [SEARCH], attributes: "userName,emails", count: -1, startIndex: 0 }, config)).toMatchObject({
      attributes: ["userName", "emails"],
      count: 0,
      startIndex: 1,
    });
  });

  it.each([
    ["count as a string", { schemas: [SEARCH], count: "10" }, "invalidValue", /count/],
    ["non-integer startIndex", { schemas: [SEARCH], startIndex: 1.5 }, "invalidValue", /startIndex/],
    ["wrong schema", { schemas: ["urn:x"] }, "invalidSyntax", /SearchRequest/],
    ["not an object", "x", "invalidValue", /SearchRequest/],
  ])("rejects %s", (_name, body, scimType, message) => {
    expect(() => parseSearchRequest(body, config)).toThrow(
      expect.objectContaining({ status: 400, scimType, message: expect.stringMatching(message) }),
    );
  });
});

describe("listResponse", () => {
  it("itemsPerPage is the number returned, not the count asked (INTEROP: echoing count was a bug)", () => {
    expect(listResponse([{ id: "a" }, { id: "b" }], { totalResults: 102, startIndex: 101 })).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
      totalResults: 102,
      startIndex: 101,
      itemsPerPage: 2,
      Resources: [{ id: "a" }, { id: "b" }],
    });
  });

  it("no match is an empty list with totalResults 0 (Okta lookup, Entra Test Connection)", () => {
    expect(listResponse([], { totalResults: 0, startIndex: 1 })).toMatchObject({ totalResults: 0, itemsPerPage: 0, Resources: [] });
  });

  it("count=0: only the total, with integers", () => {
    const response = listResponse([], { totalResults: 57, startIndex: 1 });
    expect(response.totalResults).toBe(57);
    expect(Number.isInteger(response.itemsPerPage)).toBe(true);
  });
});
