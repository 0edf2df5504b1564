import type { Metadata } from "next";
import { ScimImportSettings } from "@/components/scim-import/scim-import-settings";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "SCIM Import" };

export default function Page() {
  return (
    <>
      <PageHeader
        title="SCIM Import"
        description="Okta and Microsoft Entra ID provision users and groups into this organisation over SCIM 2.0."
      />
      <ScimImportSettings />
    </>
  );
}
