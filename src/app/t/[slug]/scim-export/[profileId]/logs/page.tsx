import type { Metadata } from "next";
import { LogsTab } from "@/components/scim-export/logs-tab";

export const metadata: Metadata = { title: "SCIM Export · Logs" };

export default function Page() {
  return <LogsTab />;
}
