import type { Metadata } from "next";
import { RunDetail } from "@/components/scim-export/run-detail";

export const metadata: Metadata = { title: "SCIM Export · Run" };

export default async function Page({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  return <RunDetail runId={runId} />;
}
