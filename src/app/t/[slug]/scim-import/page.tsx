import { IconDownload } from "@tabler/icons-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "SCIM Import" };

export default function Page() {
  return (
    <>
      <PageHeader title="SCIM Import" />
      <EmptyState icon={IconDownload} title="Not set up yet">
        Okta and Microsoft Entra ID provision users and groups into this organisation over SCIM 2.0. The SCIM base URL and API token will be managed here.
      </EmptyState>
    </>
  );
}
