import { describe, expect, it } from "vitest";
import { routeOf } from "./routes";

describe("routeOf", () => {
  it.each([
    ["/api/scim/v2/acme/Users", "/api/scim/v2/:tenant/Users", "acme"],
    ["/api/scim/v2/acme/Users/2819c223-7f76-453a-919d-413861904646", "/api/scim/v2/:tenant/Users/:id", "acme"],
    ["/api/scim/v2/acme/Groups/.search", "/api/scim/v2/:tenant/Groups/.search", "acme"],
    ["/api/scim/v2/acme/Whatever/x", "/api/scim/v2/:tenant/:other/:id", "acme"],
    ["/api/scim/v2/acme", "/api/scim/v2/:tenant", "acme"],
    ["/t/acme/users", "/t/:tenant/users", "acme"],
    ["/t/acme", "/t/:tenant", "acme"],
    ["/portal/acme/sign-in", "/portal/:tenant", "acme"],
    ["/api/sso/acme/metadata", "/api/sso/:tenant/metadata", "acme"],
    ["/api/trpc/scimExport.get,scimExport.runs", "/api/trpc", null],
    ["/api/auth/callback/credentials", "/api/auth", null],
    ["/_next/static/chunks/abc.js", "/_next", null],
    ["/sign-in", "/sign-in", null],
    ["/%00weird/path", "/:other", null],
    // Made-up segments never become label values.
    ["/t/acme/made-up-1", "/t/:tenant/:other", "acme"],
    ["/api/sso/acme/anything", "/api/sso/:tenant/:other", "acme"],
    ["/api/not-a-route", "/api/:other", null],
    ["/some-page-that-does-not-exist", "/:other", null],
    ["/", "/", null],
  ])("%s → %s", (path, route, tenant) => {
    expect(routeOf(path)).toEqual({ route, tenant });
  });
});
