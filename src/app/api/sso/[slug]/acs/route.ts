import { NextResponse, type NextRequest } from "next/server";
import { appUrl, portalPath, requestInfo } from "@/server/sso/http";
import { handleAcs } from "@/server/sso/sign-in";

export const dynamic = "force-dynamic";

/** The tenant's SAML Assertion Consumer Service (HTTP-POST binding). */
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
  return NextResponse.redirect(appUrl(`${portalPath(result.slug, "/refused")}?reason=${result.reason}`), 303);
}
