"use client";
import { Alert, Anchor, Badge, Button, Group, Paper, Skeleton, Stack, Table, Text } from "@mantine/core";
import { IconFingerprint, IconPlus } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { certificateBadge, certificateExpiry } from "@/lib/certificate-expiry";
import { useSearchParams } from "next/navigation";
import { useTenant } from "@/components/shell/tenant-context";
import { WRAP_LONG_WORDS } from "@/components/data-table/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { useTRPC } from "@/lib/trpc";
import { SpDetailsCard } from "./sp-details-card";

export function AuthProfilesView() {
  const tenant = useTenant();
  const trpc = useTRPC();
  const params = useSearchParams();
  const profiles = useQuery(trpc.sso.profiles.queryOptions({ tenantSlug: tenant.slug }));
  const base = `/t/${tenant.slug}/auth-profiles`;
  const actions = tenant.canWrite ? (
    <>
      <Button component={Link} href={`${base}/new?protocol=saml`} leftSection={<IconPlus size={16} />}>
        New SAML profile
      </Button>
      <Button component={Link} href={`${base}/new?protocol=oidc`} variant="light" leftSection={<IconPlus size={16} />}>
        New OIDC profile
      </Button>
    </>
  ) : undefined;
  return (
    <>
      <PageHeader
        title="Authentication Profiles"
        description="SAML and OpenID Connect identity providers your users sign in with, assigned to user groups."
        actions={actions}
      />
      <Stack>
        {params.get("error") && (
          <Alert color="red" title="Test sign-in could not start">
            {params.get("error")}
          </Alert>
        )}
        {profiles.isLoading ? (
          <Skeleton h={120} />
        ) : (profiles.data ?? []).length === 0 ? (
          <EmptyState icon={IconFingerprint} title="No authentication profiles yet" action={actions && <Group>{actions}</Group>}>
            Create a SAML profile from your identity provider's metadata (Okta, Entra ID…), then assign it to user groups: their members
            sign in at the user portal.
          </EmptyState>
        ) : (
          <Paper withBorder radius="md">
            <Table highlightOnHover aria-label="Authentication profiles" verticalSpacing="sm" styles={{ td: WRAP_LONG_WORDS }}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Protocol</Table.Th>
                  <Table.Th>Identity provider</Table.Th>
                  <Table.Th>Assigned groups</Table.Th>
                  <Table.Th>Priority</Table.Th>
                  <Table.Th>Status</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {profiles.data!.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>
                      <Anchor component={Link} href={`${base}/${p.id}`} fw={500}>
                        {p.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light">{p.protocol}</Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ wordBreak: "break-all" }}>
                        {p.idpEntityId}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{p.groups.length ? p.groups.map((g) => g.displayName).join(", ") : "—"}</Text>
                    </Table.Td>
                    <Table.Td>{p.priority}</Table.Td>
                    <Table.Td>
                      <Badge color={p.status === "ACTIVE" ? "green" : "gray"}>{p.status === "ACTIVE" ? "Active" : "Disabled"}</Badge>
                      <CertificateBadge expiresAt={p.idpCertExpiresAt} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        )}
        <Text size="sm" c="dimmed">
          A user in several groups signs in with the profile of lowest priority number among their groups' active profiles.
        </Text>
        <SpDetailsCard tenantSlug={tenant.slug} />
      </Stack>
    </>
  );
}

function CertificateBadge({ expiresAt }: { expiresAt: Date | string | null }) {
  const expiry = certificateExpiry(expiresAt);
  const text = certificateBadge(expiry);
  if (!text) return null;
  return (
    <Badge color={expiry?.state === "expired" ? "red" : "orange"} ml={4}>
      {text}
    </Badge>
  );
}
