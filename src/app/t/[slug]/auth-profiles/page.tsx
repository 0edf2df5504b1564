import type { Metadata } from "next";
import { Suspense } from "react";
import { AuthProfilesView } from "@/components/sso/auth-profiles-view";

export const metadata: Metadata = { title: "Authentication Profiles" };

export default function Page() {
  return (
    <Suspense>
      <AuthProfilesView />
    </Suspense>
  );
}
