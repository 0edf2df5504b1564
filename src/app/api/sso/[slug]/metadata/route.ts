import type { NextRequest } from "next/server";
import { findPublicTenant } from "@/server/tenancy/tenants";
import { spMetadataForSlug } from "@/server/sso/profiles";

export const dynamic = "force-dynamic";

/** The tenant's SAML SP metadata (public, so that an IdP can be configured from this URL). */
export async function GET(request: NextRequest, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const tenant = await findPublicTenant(slug);
  if (!tenant) return new Response("Not found\n", { status: 404, headers: { "content-type": "text/plain" } });
  const { xml } = await spMetadataForSlug(tenant.slug);
  const headers: Record<string, string> = {
    "content-type": "application/samlmetadata+xml; charset=utf-8",
    "cache-control": "public, max-age=300",
  };
  if (request.nextUrl.searchParams.has("download"))
    headers["content-disposition"] = `attachment; filename="sp-metadata-${tenant.slug}.xml"`;
  return new Response(xml, { headers });
}
