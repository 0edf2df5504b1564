"use client";
import { Card, Text, Title } from "@mantine/core";

/**
 * Slot on a group's page for its authentication profile (SAML/OIDC) assignment. The SSO work
 * replaces this placeholder with the assignment card; the group page already passes what it needs.
 */
export function GroupAuthProfileSlot({ tenantSlug, groupId, canWrite }: { tenantSlug: string; groupId: string; canWrite: boolean }) {
  void tenantSlug;
  void groupId;
  void canWrite;
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="auth-profile-title">
      <Title order={4} id="auth-profile-title" mb="xs">Authentication profile</Title>
      <Text size="sm" c="dimmed">Members of this group will sign in with the authentication profile assigned here.</Text>
    </Card>
  );
}
