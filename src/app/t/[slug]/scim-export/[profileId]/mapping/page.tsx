import type { Metadata } from "next";
import { MappingTab } from "@/components/scim-export/mapping-tab";

export const metadata: Metadata = { title: "SCIM Export · Mapping" };

export default function Page() {
  return <MappingTab />;
}
