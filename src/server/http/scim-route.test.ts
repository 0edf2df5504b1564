import { describe, expect, it } from "vitest";
import { scimImportPath } from "./scim-route";

/** Which requests the product's server hands to SCIM Import itself, with the params Next's route `[tenant]/[[...path]]` would get. */
describe("scimImportPath", () => {
  const pathnameOf = (target: string) => new URL(target, "http://server.invalid").pathname;
  const parse = (target: string) => scimImportPath(target, pathnameOf(target));

  it("takes the tenant and the optional rest, query aside", () => {
    expect(parse("/api/scim/v2/acme")).toEqual({ tenant: "acme", segments: [] });
    expect(parse("/api/scim/v2/acme/Users")).toEqual({ tenant: "acme", segments: ["Users"] });
    expect(parse("/api/scim/v2/acme/Users/42?attributes=userName")).toEqual({ tenant: "acme", segments: ["Users", "42"] });
    expect(parse("/api/scim/v2/acme/Users/.search")).toEqual({ tenant: "acme", segments: ["Users", ".search"] });
  });

  it("percent-decodes each segment on its own, so an encoded slash stays inside its segment", () => {
    expect(parse("/api/scim/v2/%61cme/Users/a%2Fb%20c")).toEqual({ tenant: "acme", segments: ["Users", "a/b c"] });
    expect(parse("/api/scim/v2/acme/Users/%C3%A9")).toEqual({ tenant: "acme", segments: ["Users", "é"] });
  });

  it.each([
    ["a trailing slash (Next redirects)", "/api/scim/v2/acme/Users/"],
    ["no tenant", "/api/scim/v2/"],
    ["repeated slashes (Next redirects)", "/api/scim/v2/acme//Users"],
    ["a malformed escape (Next answers 500)", "/api/scim/v2/acme/Users/%E0%A4%A"],
    ["dot segments in the path as sent", "/api/scim/v2/acme/x/../Users"],
    ["a backslash, which the URL parser rewrites", "/api/scim/v2/acme\\Users"],
    ["a last `index` segment, which Next may drop", "/api/scim/v2/acme/index"],
    ["another version", "/api/scim/v3/acme/Users"],
    ["another case", "/API/scim/v2/acme/Users"],
  ])("leaves to Next: %s", (_, target) => {
    expect(parse(target)).toBeNull();
  });
});
