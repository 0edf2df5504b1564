import { createHash, randomBytes } from "node:crypto";

/**
 * The security headers of every answer, chosen from the request path before Next runs.
 *
 * Pages get a Content-Security-Policy with a fresh nonce per request. Next reads the nonce from
 * the request's own `Content-Security-Policy` header and puts it on every script it renders; the
 * root layout reads `x-nonce` for Mantine's inline color-scheme script. 'strict-dynamic' lets the
 * nonce'd scripts load Next's chunks; nothing else runs. Styles stay 'unsafe-inline': Mantine
 * writes inline style attributes, which a nonce cannot cover.
 */
export type HeaderSettings = {
  /** `next dev`: React's dev build needs eval, hot reload a WebSocket. */
  dev: boolean;
  /** APP_URL is https: browsers are told to stay on https (HSTS). */
  https: boolean;
  /** ALLOW_PRIVATE_TARGETS: identity providers may be plain http (tests, on-premise). */
  allowPlainHttpIdps: boolean;
};

/**
 * - page: a document Next renders (and anything else outside /api: static files, 404s).
 * - api: route handlers; nothing in their answers should ever run.
 * - auto-post: routes whose answer may be Jackson's page that posts the SAML request to the
 *   IdP by itself (HTTP-POST binding): an inline onload handler and script, a form to the IdP.
 */
export type ResponseKind = "page" | "api" | "auto-post";

const AUTO_POST_ROUTES = [/^\/api\/sso\/[^/]+\/(start|test)\/?$/, /^\/api\/oauth\/authorize\/?$/];

export function responseKindOf(pathname: string): ResponseKind {
  if (AUTO_POST_ROUTES.some((route) => route.test(pathname))) return "auto-post";
  return pathname === "/api" || pathname.startsWith("/api/") ? "api" : "page";
}

/**
 * The two scripts of the auto-post page (@boxyhq/saml20 createPostForm, which Jackson uses):
 * `<body onload="…">` and `<script>…</script>`. An event handler attribute can only be allowed
 * by its hash with 'unsafe-hashes'. If the library ever changes them, the page degrades to its
 * visible Continue button (tests/security/http-edge.test.ts checks the hashes against it).
 */
export const AUTO_POST_SCRIPTS = ["document.forms[0].submit()", 'document.forms[0].style.display="none";'];
const autoPostHashes = AUTO_POST_SCRIPTS.map((script) => `'sha256-${createHash("sha256").update(script).digest("base64")}'`);

/** Where a form may post when it leads to an identity provider (its URL comes from the IdP's metadata). */
function identityProviderSources(settings: HeaderSettings): string {
  return settings.allowPlainHttpIdps ? "https: http:" : "https:";
}

export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

/** `nonce` is required for pages (a fresh one per request) and unused otherwise. */
function contentSecurityPolicy(kind: ResponseKind, pathname: string, settings: HeaderSettings, nonce: string | null): string {
  const directives: string[] = [];
  if (kind === "page") {
    if (!nonce) throw new Error("A page's Content-Security-Policy needs a nonce");
    directives.push(
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${settings.dev ? " 'unsafe-eval'" : ""}`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src 'self'${settings.dev ? " ws: wss:" : ""}`,
      "object-src 'none'",
      "base-uri 'none'",
      // The portal's sign-in form posts to our start route, which redirects to the IdP; browsers
      // check form-action on that redirect too.
      `form-action 'self'${pathname.startsWith("/portal/") ? ` ${identityProviderSources(settings)}` : ""}`,
      "frame-ancestors 'none'",
    );
    if (settings.https) directives.push("upgrade-insecure-requests");
  } else if (kind === "auto-post") {
    directives.push(
      "default-src 'none'",
      `script-src 'unsafe-hashes' ${autoPostHashes.join(" ")}`,
      `form-action 'self' ${identityProviderSources(settings)}`,
      "base-uri 'none'",
      "frame-ancestors 'none'",
    );
  } else {
    directives.push("default-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'");
  }
  return directives.join("; ");
}

/** SSO answers and portal pages carry SAML requests, codes and tenant names in their URLs: no Referer leaves them. */
const NO_REFERRER = [/^\/api\/sso\//, /^\/api\/oauth\//, /^\/portal\//];

/** JSON APIs whose answers carry secrets or directory data: never stored by a browser or proxy. */
const NO_STORE = [/^\/api\/trpc(\/|$)/, /^\/api\/auth\//, /^\/api\/oauth\//, /^\/api\/scim\//, /^\/api\/inngest(\/|$)/];

export function securityHeaders(pathname: string, settings: HeaderSettings, nonce: string | null): Record<string, string> {
  const kind = responseKindOf(pathname);
  const headers: Record<string, string> = {
    "content-security-policy": contentSecurityPolicy(kind, pathname, settings, nonce),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": NO_REFERRER.some((p) => p.test(pathname)) ? "no-referrer" : "strict-origin-when-cross-origin",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  };
  if (settings.https) headers["strict-transport-security"] = "max-age=31536000; includeSubDomains";
  if (NO_STORE.some((p) => p.test(pathname))) headers["cache-control"] = "no-store";
  return headers;
}

/** Request headers through which a client could pick the nonce Next renders with. */
export const NONCE_REQUEST_HEADERS = ["content-security-policy", "content-security-policy-report-only", "x-nonce"];
