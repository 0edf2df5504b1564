import type { Metadata } from "next";
import { NewOidcProfileForm, NewSamlProfileForm } from "@/components/sso/new-profile-form";
import { serverEnv } from "@/server/env";
import { ssoUrls } from "@/server/sso/urls";

export const metadata: Metadata = { title: "New authentication profile" };

export default async function Page({ searchParams }: { searchParams: Promise<{ protocol?: string }> }) {
  const { protocol } = await searchParams;
  if (protocol === "oidc") return <NewOidcProfileForm redirectUri={ssoUrls(serverEnv().APP_URL).oidcCallbackUrl} />;
  return <NewSamlProfileForm />;
}
