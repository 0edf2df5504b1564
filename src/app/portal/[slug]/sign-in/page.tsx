import { Alert, Button, Stack, Text, TextInput } from "@mantine/core";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PortalFrame } from "@/components/sso/portal-frame";
import { findPublicTenant } from "@/server/tenancy/tenants";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

/** The end user's sign-in: a plain form posting to the start route (works without JavaScript). */
export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ error?: string; signedOut?: string }>;
}) {
  const { slug } = await params;
  const { error, signedOut } = await searchParams;
  const tenant = await findPublicTenant(slug);
  if (!tenant) notFound();
  return (
    <PortalFrame tenantName={tenant.name} title="Sign in">
      {signedOut && <Alert color="green">You are signed out.</Alert>}
      {error && <Alert color="red">{error.slice(0, 200)}</Alert>}
      <form method="post" action={`/api/sso/${encodeURIComponent(tenant.slug)}/start`}>
        <Stack>
          <Text size="sm" c="dimmed">
            Enter your work email: you will continue at your organisation's identity provider.
          </Text>
          <TextInput label="Work email" name="email" type="email" autoComplete="email" required autoFocus />
          <Button type="submit">Continue</Button>
        </Stack>
      </form>
    </PortalFrame>
  );
}
