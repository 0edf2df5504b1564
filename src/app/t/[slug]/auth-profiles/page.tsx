import { IconFingerprint } from "@tabler/icons-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Authentication Profiles" };

export default function Page() {
  return (
    <>
      <PageHeader title="Authentication Profiles" />
      <EmptyState icon={IconFingerprint} title="Not set up yet">
        SAML and OpenID Connect profiles let provisioned users sign in with single sign-on. Profiles will be managed here.
      </EmptyState>
    </>
  );
}
