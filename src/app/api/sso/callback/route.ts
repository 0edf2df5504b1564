import { NextResponse, type NextRequest } from "next/server";
import { getConsoleSession } from "@/server/auth/options";
import { appUrl, portalPath, requestInfo, setCookie } from "@/server/sso/http";
import { PORTAL_COOKIE, PORTAL_SESSION_SECONDS } from "@/server/sso/portal-session";
import { completeSignIn, STATE_COOKIE } from "@/server/sso/sign-in";

export const dynamic = "force-dynamic";

/** Where Jackson sends the browser back with a code (or an error), for every profile. */
export async function GET(request: NextRequest) {
  const session = await getConsoleSession().catch(() => null);
  const result = await completeSignIn({
    query: request.nextUrl.searchParams,
    stateToken: request.cookies.get(STATE_COOKIE)?.value,
    currentAccountId: session?.accountId ?? null,
    ...requestInfo(request),
  });
  let response: NextResponse;
  if (result.kind === "signed-in") {
    response = NextResponse.redirect(appUrl(portalPath(result.slug)), 303);
    setCookie(response, PORTAL_COOKIE, result.sessionToken, { path: "/", maxAge: PORTAL_SESSION_SECONDS });
  } else if (result.kind === "test") {
    response = NextResponse.redirect(
      appUrl(`/t/${encodeURIComponent(result.slug)}/auth-profiles/${result.profileId}?test=${result.eventId}`),
      303,
    );
  } else {
    response = NextResponse.redirect(
      appUrl(result.slug ? `${portalPath(result.slug, "/refused")}?reason=${result.reason}` : "/portal-error"),
      303,
    );
  }
  // The state is single-use.
  setCookie(response, STATE_COOKIE, "", { path: "/api/sso", maxAge: 0 });
  return response;
}
