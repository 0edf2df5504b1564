import type { NextRequest, NextResponse } from "next/server";
import { serverEnv } from "../env";
import { clientAddress } from "../http/client-address";
import type { RequestInfo } from "./sign-in";

/** Small helpers the SSO route handlers share: request facts, cookies, safe in-product URLs. */
export function requestInfo(request: NextRequest): RequestInfo {
  // The first X-Forwarded-For entry is whatever the client wrote; clientAddress() honours TRUST_PROXY.
  return { ipAddress: clientAddress(request.headers), userAgent: request.headers.get("user-agent") };
}

function secureCookies(): boolean {
  return serverEnv().APP_URL.startsWith("https://");
}

export function setCookie(response: NextResponse, name: string, value: string, options: { path: string; maxAge: number }) {
  response.cookies.set(name, value, {
    httpOnly: true,
    sameSite: "lax",
    secure: secureCookies(),
    path: options.path,
    maxAge: options.maxAge,
  });
}

/**
 * Every redirect the SSO routes make after a sign-in is built here from the configured APP_URL
 * and a path we chose, never from request input: no open redirect.
 */
export function appUrl(path: string): URL {
  if (!path.startsWith("/") || path.startsWith("//")) throw new Error("appUrl takes an absolute path");
  return new URL(path, serverEnv().APP_URL);
}

export function portalPath(slug: string, page: "" | "/sign-in" | "/refused" = "") {
  return `/portal/${encodeURIComponent(slug)}${page}`;
}

/** An HTML page that posts a form by itself (Jackson's HTTP-POST binding to the IdP). */
export function htmlResponse(html: string, status = 200): Response {
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}
