import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { TenantSettings } from "@/components/settings/tenant-settings";

export const metadata: Metadata = { title: "Tenant settings" };

export default function TenantSettingsPage() {
  return (
    <>
      <PageHeader title="Tenant" description="Your organisation's name and URL." />
      <TenantSettings />
    </>
  );
}
