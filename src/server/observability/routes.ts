/**
 * A request path as a route template (`/api/scim/v2/:tenant/Users/:id`) and the tenant it names:
 * what a log line and a metric label say. Templates keep the metrics' label sets small (ids and
 * slugs never become labels). Pure: routes.test.ts.
 */
export type RouteOf = { route: string; tenant: string | null };

const SCIM_RESOURCES = new Set(["Users", "Groups", "Bulk", "Me", "Schemas", "ResourceTypes", "ServiceProviderConfig", ".search"]);
// Only the product's own path segments become labels: a segment a client made up is ":other", so no
// request can add a label value (each one a time series the registry keeps for good).
const CONSOLE_SECTIONS = new Set(["users", "groups", "events", "scim-import", "scim-export", "auth-profiles", "settings"]);
const SSO_ENDPOINTS = new Set(["start", "acs", "metadata", "sign-out", "test"]);
const API_AREAS = new Set(["auth", "export", "health", "inngest", "oauth", "scim", "sso", "trpc"]);
const TOP_PAGES = new Set(["sign-in", "sign-up", "invite", "new", "portal-error", "icon.svg", "favicon.ico"]);

const known = (set: Set<string>, segment: string | undefined) => (segment && set.has(segment) ? segment : ":other");

export function routeOf(pathname: string): RouteOf {
  const parts = pathname.split("/");
  // ["", "api", "scim", "v2", tenant, resource, id?, ...]
  if (parts[1] === "api" && parts[2] === "scim" && parts[3] === "v2" && parts[4]) {
    const resource = parts[5] ?? "";
    const known = SCIM_RESOURCES.has(resource) ? resource : resource ? ":other" : "";
    const rest = parts.length > 6 && parts[6] ? (parts[6] === ".search" ? "/.search" : "/:id") : "";
    return { route: `/api/scim/v2/:tenant${known ? `/${known}` : ""}${rest}`, tenant: parts[4] };
  }
  if (parts[1] === "t" && parts[2])
    return { route: `/t/:tenant${parts[3] ? `/${known(CONSOLE_SECTIONS, parts[3])}` : ""}`, tenant: parts[2] };
  if (parts[1] === "portal" && parts[2]) return { route: "/portal/:tenant", tenant: parts[2] };
  if (parts[1] === "api" && parts[2] === "sso" && parts[3])
    return { route: `/api/sso/:tenant${parts[4] ? `/${known(SSO_ENDPOINTS, parts[4])}` : ""}`, tenant: parts[3] };
  if (parts[1] === "api" && parts[2] === "trpc") return { route: "/api/trpc", tenant: null };
  if (parts[1] === "api" && parts[2]) return { route: `/api/${known(API_AREAS, parts[2])}`, tenant: null };
  if (parts[1] === "_next") return { route: "/_next", tenant: null };
  if (pathname === "/" || pathname === "/metrics") return { route: pathname, tenant: null };
  return { route: `/${known(TOP_PAGES, parts[1])}`, tenant: null };
}
