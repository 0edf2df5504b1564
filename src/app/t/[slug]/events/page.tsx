import type { Metadata } from "next";
import { ProvisioningEvents } from "@/components/scim-import/provisioning-events";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Provisioning events" };

export default function Page() {
  return (
    <>
      <PageHeader
        title="Provisioning events"
        description="Every SCIM request your identity provider sent, with its result. Passwords and tokens are removed."
      />
      <ProvisioningEvents />
    </>
  );
}
