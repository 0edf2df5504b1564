import type { Metadata } from "next";
import { AuditLog } from "@/components/audit/audit-log";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Audit log" };

export default function Page() {
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change made in the console or with the CLI: who, what, which object, the values before and after, and from where. Entries cannot be edited or deleted."
      />
      <AuditLog />
    </>
  );
}
