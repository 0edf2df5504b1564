import { NextResponse, type NextRequest } from "next/server";
import { appUrl } from "@/server/sso/http";
import { jackson } from "@/server/sso/jackson";
import { ssoUrls } from "@/server/sso/urls";
import { serverEnv } from "@/server/env";

export const dynamic = "force-dynamic";

/** Where an OpenID Provider sends the browser back; Jackson exchanges its code and redirects to our callback. */
export async function GET(request: NextRequest) {
  const callback = ssoUrls(serverEnv().APP_URL).callbackUrl;
  try {
    const { oauthController } = await jackson();
    const { redirect_url } = await oauthController.oidcAuthzResponse(Object.fromEntries(request.nextUrl.searchParams));
    if (redirect_url && redirect_url.startsWith(callback)) return NextResponse.redirect(redirect_url, 303);
  } catch (error) {
    const url = appUrl("/api/sso/callback");
    url.searchParams.set("error", "access_denied");
    url.searchParams.set("error_description", (error as Error).message ?? "OpenID Connect error");
    const state = request.nextUrl.searchParams.get("state");
    if (state) url.searchParams.set("state", state);
    return NextResponse.redirect(url, 303);
  }
  return NextResponse.redirect(appUrl("/portal-error"), 303);
}
