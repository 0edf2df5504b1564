import type { Metadata } from "next";
import { GroupsTab } from "@/components/scim-export/groups-tab";

export const metadata: Metadata = { title: "SCIM Export · Groups" };

export default function Page() {
  return <GroupsTab />;
}
