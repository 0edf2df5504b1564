import { NextResponse, type NextRequest } from "next/server";
import { appUrl, htmlResponse, portalPath, requestInfo, setCookie } from "@/server/sso/http";
import { startPortalSignIn, STATE_COOKIE, type StartResult } from "@/server/sso/sign-in";

export const dynamic = "force-dynamic";

/**
 * Starts an end user's sign-in: `GET ?email=` (a link works without any script) or the portal's
 * form POST. Leads to the IdP by redirects (or Jackson's auto-submitting form for POST binding).
 */
async function start(request: NextRequest, slug: string, email: string): Promise<Response> {
  if (!email.trim() || email.length > 320) {
    return NextResponse.redirect(appUrl(`${portalPath(slug, "/sign-in")}?error=${encodeURIComponent("Enter your email.")}`), 303);
  }
  const result: StartResult = await startPortalSignIn({ slug, email, ...requestInfo(request) });
  if (result.kind === "refused") {
    if (result.reason === "unknown_tenant") return new Response("Not found\n", { status: 404 });
    return NextResponse.redirect(appUrl(`${portalPath(slug, "/refused")}?reason=${result.reason}`), 303);
  }
  const response =
    result.kind === "redirect"
      ? NextResponse.redirect(result.url, 302)
      : new NextResponse(htmlResponse(result.html).body, {
          headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
        });
  setCookie(response, STATE_COOKIE, result.stateToken, { path: "/api/sso", maxAge: 600 });
  return response;
}

export async function GET(request: NextRequest, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return start(request, slug, request.nextUrl.searchParams.get("email") ?? "");
}

export async function POST(request: NextRequest, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const form = await request.formData().catch(() => null);
  const email = form?.get("email");
  return start(request, slug, typeof email === "string" ? email : "");
}
