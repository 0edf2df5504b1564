import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PortalFrame } from "@/components/sso/portal-frame";
import { PortalRefused } from "@/components/sso/portal-views";
import { findPublicTenant } from "@/server/tenancy/tenants";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign-in refused" };

/** What the user reads when a sign-in is refused: enough to act, nothing about other tenants. */
const messages: Record<string, string> = {
  unknown_user: "There is no account for this email in this organisation. Check the address, or ask your administrator to give you access.",
  deactivated: "Your account is deactivated. Ask your administrator if you think this is a mistake.",
  no_profile:
    "Single sign-on is not set up for your account yet. Ask your administrator to assign an authentication profile to your group.",
  wrong_profile: "Your account signs in through another identity provider. Start again from this organisation's sign-in page.",
  other_tenant: "The identity provider signed you in as a user who does not belong to this organisation.",
  invalid_response: "The identity provider's answer could not be verified, so you were not signed in.",
  unknown_certificate:
    "The identity provider signed its answer with a certificate this organisation does not know yet, so you were not signed in. Ask your administrator to update the identity provider's metadata.",
  idp_error: "The identity provider reported an error, so you were not signed in. Try again, or ask your administrator.",
  invalid_state: "This sign-in expired or was already used. Start again.",
  no_identity: "The identity provider did not say who you are (no email). Ask your administrator to check the profile's attributes.",
};

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ reason?: string }>;
}) {
  const { slug } = await params;
  const { reason } = await searchParams;
  const tenant = await findPublicTenant(slug);
  if (!tenant) notFound();
  return (
    <PortalFrame tenantName={tenant.name} title="Sign-in refused">
      <PortalRefused slug={tenant.slug} message={messages[reason ?? ""] ?? messages.idp_error!} />
    </PortalFrame>
  );
}
