import type { Metadata } from "next";
import { AboutTab } from "@/components/scim-export/about-tab";

export const metadata: Metadata = { title: "SCIM Export · About" };

export default function Page() {
  return <AboutTab />;
}
