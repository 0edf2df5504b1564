import type { ReactNode } from "react";
import { ProfileShell } from "@/components/scim-export/profile-shell";

export default function ProfileLayout({ children }: { children: ReactNode }) {
  return <ProfileShell>{children}</ProfileShell>;
}
