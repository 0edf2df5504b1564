import type { Metadata } from "next";
import { ConfigurationTab } from "@/components/scim-export/configuration-tab";

export const metadata: Metadata = { title: "SCIM Export · Configuration" };

export default function Page() {
  return <ConfigurationTab />;
}
