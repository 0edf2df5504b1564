import { NextResponse, type NextRequest } from "next/server";
import { getConsoleSession } from "@/server/auth/options";
import { AppError } from "@/server/errors";
import { appUrl, htmlResponse, setCookie } from "@/server/sso/http";
import { startTestSignIn, STATE_COOKIE } from "@/server/sso/sign-in";
import { can } from "@/server/tenancy/roles";
import { resolveMembership } from "@/server/tenancy/tenants";

export const dynamic = "force-dynamic";

/** An admin's test sign-in with one profile: only owners and admins of the tenant. */
export async function GET(request: NextRequest, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const session = await getConsoleSession();
  if (!session) return NextResponse.redirect(appUrl(`/sign-in`), 303);
  const membership = await resolveMembership(session.accountId, slug).catch((e) => {
    if (e instanceof AppError) return null;
    throw e;
  });
  if (!membership || !can(membership.role, "write")) return new Response("Not found\n", { status: 404 });
  const profileId = request.nextUrl.searchParams.get("profileId") ?? "";
  const result = await startTestSignIn({ tenantId: membership.tenant.id, profileId, accountId: session.accountId });
  if (result.kind === "refused") {
    return NextResponse.redirect(
      appUrl(`/t/${encodeURIComponent(membership.tenant.slug)}/auth-profiles?error=${encodeURIComponent(result.message)}`),
      303,
    );
  }
  const response =
    result.kind === "redirect"
      ? NextResponse.redirect(result.url, 302)
      : new NextResponse(htmlResponse(result.html).body, { headers: { "content-type": "text/html; charset=utf-8" } });
  setCookie(response, STATE_COOKIE, result.stateToken, { path: "/api/sso", maxAge: 600 });
  return response;
}
