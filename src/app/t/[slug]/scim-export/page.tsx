import type { Metadata } from "next";
import { ProfilesPage } from "@/components/scim-export/profiles-page";

export const metadata: Metadata = { title: "SCIM Export" };

export default function Page() {
  return <ProfilesPage />;
}
