import { IconCloudUpload } from "@tabler/icons-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "SCIM Export" };

export default function Page() {
  return (
    <>
      <PageHeader title="SCIM Export" />
      <EmptyState icon={IconCloudUpload} title="Not set up yet">
        Export profiles push users and groups to Databricks or any SCIM 2.0 application. Profiles will be managed here.
      </EmptyState>
    </>
  );
}
