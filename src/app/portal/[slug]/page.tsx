import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { PortalFrame } from "@/components/sso/portal-frame";
import { PortalHome } from "@/components/sso/portal-views";
import { getPortalSession, PORTAL_COOKIE } from "@/server/sso/portal-session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "User portal" };

/** The end user's page after SSO: who is signed in and their groups. */
export default async function Page({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const session = await getPortalSession({ slug, token: (await cookies()).get(PORTAL_COOKIE)?.value });
  if (!session) redirect(`/portal/${encodeURIComponent(slug)}/sign-in`);
  return (
    <PortalFrame tenantName={session.tenant.name} title={`Welcome, ${session.user.name}`}>
      <PortalHome
        slug={session.tenant.slug}
        name={session.user.name}
        email={session.user.email}
        profileName={session.profile?.name ?? null}
        groups={session.groups}
      />
    </PortalFrame>
  );
}
