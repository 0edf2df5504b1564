import { describe, expect, it } from "vitest";
import { ScimError } from "./errors";
import { assertIfMatch, checkPreconditions, etagFromVersion, parseEtagList, versionFromEtag } from "./etag";

describe("etag", () => {
  it("issues weak ETags (RFC 7644 §3.14)", () => {
    expect(etagFromVersion(3)).toBe('W/"3"');
    expect(etagFromVersion("a1")).toBe('W/"a1"');
  });

  it.each([
    ['W/"3"', "3"],
    ['"3"', "3"],
    [' W/"abc" ', "abc"],
    ["3", undefined],
    ["W/3", undefined],
  ])("versionFromEtag(%s)", (etag, version) => {
    expect(versionFromEtag(etag)).toBe(version);
  });

  it.each([
    ["*", { kind: "any" }],
    ['W/"1"', { kind: "tags", tags: ["1"] }],
    ['W/"1", "2" ,W/"3"', { kind: "tags", tags: ["1", "2", "3"] }],
  ])("parseEtagList(%s)", (header, expected) => {
    expect(parseEtagList(header)).toEqual(expected);
  });

  it.each(["", "W/1", '"1" "2"', '"1",,'])("rejects malformed list %j with invalidValue", (header) => {
    expect(() => parseEtagList(header)).toThrow(ScimError);
  });

  it.each([
    ["no headers", {}, 3, "GET", "proceed"],
    ["If-Match current (weak compare)", { ifMatch: 'W/"3"' }, 3, "PUT", "proceed"],
    ["If-Match strong form of current", { ifMatch: '"3"' }, 3, "PATCH", "proceed"],
    ["If-Match stale → 412", { ifMatch: 'W/"2"' }, 3, "PUT", "preconditionFailed"],
    ["If-Match one of a list", { ifMatch: 'W/"1", W/"3"' }, 3, "PUT", "proceed"],
    ["If-Match * on existing", { ifMatch: "*" }, 3, "DELETE", "proceed"],
    ["If-Match * on missing", { ifMatch: "*" }, undefined, "PUT", "preconditionFailed"],
    ["If-None-Match current on GET → 304", { ifNoneMatch: 'W/"3"' }, 3, "GET", "notModified"],
    ["If-None-Match current on PUT → 412", { ifNoneMatch: 'W/"3"' }, 3, "PUT", "preconditionFailed"],
    ["If-None-Match other", { ifNoneMatch: 'W/"2"' }, 3, "GET", "proceed"],
    ["If-None-Match * on missing", { ifNoneMatch: "*" }, undefined, "PUT", "proceed"],
    ["null headers (Headers.get)", { ifMatch: null, ifNoneMatch: null }, 3, "GET", "proceed"],
  ] as const)("%s", (_name, headers, version, method, expected) => {
    expect(checkPreconditions(headers, version, method)).toBe(expected);
  });

  it("assertIfMatch throws 412 telling the client to re-read", () => {
    expect(() => assertIfMatch('W/"1"', 2)).toThrow(expect.objectContaining({ status: 412 }));
    expect(() => assertIfMatch('W/"1"', 2)).toThrow(/GET it again/);
    expect(() => assertIfMatch(undefined, 2)).not.toThrow();
    expect(() => assertIfMatch('W/"2"', 2)).not.toThrow();
  });
});
