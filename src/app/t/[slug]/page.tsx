import type { Metadata } from "next";
import { TenantOverview } from "@/components/overview/tenant-overview";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Overview" };

export default function Page() {
  return (
    <>
      <PageHeader title="Overview" description="The last 24 hours, and what needs attention." />
      <TenantOverview />
    </>
  );
}
