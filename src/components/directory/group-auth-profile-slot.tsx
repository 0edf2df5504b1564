"use client";
import { GroupAuthProfileCard } from "@/components/sso/group-auth-profile-card";

/** Slot on a group's page for its authentication profile (SAML/OIDC) assignment: the SSO card. */
export function GroupAuthProfileSlot({ tenantSlug, groupId, canWrite }: { tenantSlug: string; groupId: string; canWrite: boolean }) {
  return <GroupAuthProfileCard tenantSlug={tenantSlug} groupId={groupId} canWrite={canWrite} />;
}
