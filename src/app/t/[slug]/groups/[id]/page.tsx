import type { Metadata } from "next";
import { GroupDetail } from "@/components/directory/group-detail";

export const metadata: Metadata = { title: "Group" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <GroupDetail groupId={id} />;
}
