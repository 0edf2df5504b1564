import { IconListDetails } from "@tabler/icons-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Provisioning events" };

export default function Page() {
  return (
    <>
      <PageHeader title="Provisioning events" />
      <EmptyState icon={IconListDetails} title="Not set up yet">
        Every SCIM request your identity provider sends will be listed here.
      </EmptyState>
    </>
  );
}
