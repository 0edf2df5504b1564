import type { Metadata } from "next";
import { GroupsView } from "@/components/directory/groups-view";

export const metadata: Metadata = { title: "User Groups" };

export default function Page() {
  return <GroupsView />;
}
