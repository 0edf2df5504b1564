import type { Metadata } from "next";
import { safeRedirectPath } from "@/lib/safe-redirect";
import { serverEnv } from "@/server/env";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  // Only a place on the console's own origin: never an open redirect.
  const next = safeRedirectPath(callbackUrl, serverEnv().APP_URL) ?? "/";
  return <SignInForm next={next} />;
}
