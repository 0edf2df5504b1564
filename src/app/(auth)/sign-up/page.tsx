import type { Metadata } from "next";
import { safeRedirectPath } from "@/lib/safe-redirect";
import { serverEnv } from "@/server/env";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  // Only a place on the console's own origin: never an open redirect.
  const next = safeRedirectPath(callbackUrl, serverEnv().APP_URL);
  return <SignUpForm next={next} />;
}
