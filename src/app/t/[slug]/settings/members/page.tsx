import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { MembersSettings } from "@/components/settings/members-settings";

export const metadata: Metadata = { title: "Members" };

export default function MembersPage() {
  return (
    <>
      <PageHeader title="Members" description="People who can use this console, and what they may change." />
      <MembersSettings />
    </>
  );
}
