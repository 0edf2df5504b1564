import { NextResponse, type NextRequest } from "next/server";
import { appUrl } from "@/server/sso/http";
import { handleOidcResponse } from "@/server/sso/sign-in";

export const dynamic = "force-dynamic";

/** Where an OpenID Provider sends the browser back; Jackson exchanges its code and redirects to our callback. */
export async function GET(request: NextRequest) {
  const result = await handleOidcResponse({ query: request.nextUrl.searchParams });
  if (result.kind === "redirect") return NextResponse.redirect(result.url, 303);
  return NextResponse.redirect(appUrl("/portal-error"), 303);
}
