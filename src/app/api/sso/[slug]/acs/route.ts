import { NextResponse, type NextRequest } from "next/server";
import { appUrl, portalPath, requestInfo, setCookie } from "@/server/sso/http";
import { PORTAL_COOKIE, PORTAL_SESSION_SECONDS } from "@/server/sso/portal-session";
import { handleAcs } from "@/server/sso/sign-in";

export const dynamic = "force-dynamic";

/**
 * The tenant's SAML Assertion Consumer Service (HTTP-POST binding). An SP-initiated sign-in goes on
 * to the callback; an IdP-initiated one (an app tile) ends here, signed in to the portal.
 */
export async function POST(request: NextRequest, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const form = await request.formData().catch(() => null);
  const SAMLResponse = form?.get("SAMLResponse");
  const RelayState = form?.get("RelayState");
  if (typeof SAMLResponse !== "string") return new Response("SAMLResponse is missing.\n", { status: 400 });
  const result = await handleAcs({
    slug,
    SAMLResponse,
    RelayState: typeof RelayState === "string" ? RelayState : "",
    ...requestInfo(request),
  });
  if (result.kind === "redirect") return NextResponse.redirect(result.url, 303);
  if (result.kind === "signed-in") {
    // A RelayState an IdP sends with a tile click is never followed (no open redirect): the portal.
    const response = NextResponse.redirect(appUrl(portalPath(result.slug)), 303);
    setCookie(response, PORTAL_COOKIE, result.sessionToken, { path: "/", maxAge: PORTAL_SESSION_SECONDS });
    return response;
  }
  return NextResponse.redirect(appUrl(`${portalPath(result.slug, "/refused")}?reason=${result.reason}`), 303);
}
