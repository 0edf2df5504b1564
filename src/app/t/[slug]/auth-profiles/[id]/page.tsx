import type { Metadata } from "next";
import { Suspense } from "react";
import { AuthProfileDetail } from "@/components/sso/auth-profile-detail";

export const metadata: Metadata = { title: "Authentication profile" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <Suspense>
      <AuthProfileDetail profileId={id} />
    </Suspense>
  );
}
