import { NextResponse, type NextRequest } from "next/server";
import { appUrl, portalPath, setCookie } from "@/server/sso/http";
import { PORTAL_COOKIE } from "@/server/sso/portal-session";

export const dynamic = "force-dynamic";

export async function POST(_request: NextRequest, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const response = NextResponse.redirect(appUrl(`${portalPath(slug, "/sign-in")}?signedOut=1`), 303);
  setCookie(response, PORTAL_COOKIE, "", { path: "/", maxAge: 0 });
  return response;
}
