import { NextResponse, type NextRequest } from "next/server";
import type { OAuthReq } from "@boxyhq/saml-jackson";
import { htmlResponse } from "@/server/sso/http";
import { jackson } from "@/server/sso/jackson";
import { oauthError, readForm } from "@/server/sso/jackson-http";

export const dynamic = "force-dynamic";

/** Jackson's OAuth 2.0 authorize endpoint (as BoxyHQ's saas-starter-kit serves it). */
async function handle(params: Record<string, string>) {
  try {
    const { oauthController } = await jackson();
    const { redirect_url, authorize_form } = await oauthController.authorize(params as unknown as OAuthReq);
    if (redirect_url) return NextResponse.redirect(redirect_url, 302);
    return htmlResponse(authorize_form ?? "");
  } catch (error) {
    return oauthError(error, "authorize");
  }
}

export async function GET(request: NextRequest) {
  return handle(Object.fromEntries(request.nextUrl.searchParams));
}

export async function POST(request: NextRequest) {
  try {
    return await handle(await readForm(request));
  } catch (error) {
    return oauthError(error, "authorize");
  }
}
