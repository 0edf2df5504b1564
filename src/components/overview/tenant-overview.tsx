"use client";
import { Alert, Badge, Card, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { IconAlertTriangle, IconCertificate, IconCloudUpload, IconDownload, IconLogin, IconUsers } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { profileStatusLabel } from "@/components/scim-export/labels";
import { useTenant } from "@/components/shell/tenant-context";
import { AnchorLink } from "@/components/ui/links";
import { StatCard } from "@/components/ui/stat-card";
import { formatDateTime } from "@/lib/format-date";
import { errorMessage } from "@/lib/server-errors";
import { useTRPC, type RouterOutputs } from "@/lib/trpc";

type Overview = RouterOutputs["tenant"]["overview"];

/** The tenant's landing page: the last 24 hours, and what needs attention, each part linking to its page. */
export function TenantOverview() {
  const tenant = useTenant();
  const trpc = useTRPC();
  const overview = useQuery({ ...trpc.tenant.overview.queryOptions({ tenantSlug: tenant.slug }), refetchInterval: 30_000 });
  if (overview.isLoading) return <Loader aria-label="Loading the overview" />;
  if (!overview.data)
    return (
      <Alert color="red" icon={<IconAlertTriangle size={16} />}>
        {errorMessage(overview.error)}
      </Alert>
    );
  return <OverviewBody data={overview.data} base={`/t/${tenant.slug}`} />;
}

function Section({ title, icon, link, children }: { title: string; icon: ReactNode; link: ReactNode; children: ReactNode }) {
  return (
    <Card withBorder component="section" aria-label={title}>
      <Group justify="space-between" mb="sm">
        <Group gap="xs">
          {icon}
          <Title order={4}>{title}</Title>
        </Group>
        {link}
      </Group>
      {children}
    </Card>
  );
}

function Empty({ children }: { children: ReactNode }) {
  return (
    <Text size="sm" c="dimmed">
      {children}
    </Text>
  );
}

function OverviewBody({ data, base }: { data: Overview; base: string }) {
  const attention = data.exportProfiles.filter((p) => p.attention);
  const s = data.scimImport;
  return (
    <Stack gap="md">
      {(attention.length > 0 || data.expiringCertificates.length > 0) && (
        <Alert color="orange" icon={<IconAlertTriangle size={16} />} title="Needs attention">
          <Stack gap={4}>
            {attention.map((p) => (
              <Text size="sm" key={p.id}>
                <AnchorLink href={`${base}/scim-export/${p.id}`}>{p.name}</AnchorLink>:{" "}
                {p.quarantinedUntil
                  ? `quarantined until ${formatDateTime(p.quarantinedUntil)} (${p.quarantineReason ?? "repeated failures"})`
                  : `the last sync failed (${p.consecutiveFailures} in a row)`}
              </Text>
            ))}
            {data.expiringCertificates.map((c) => (
              <Text size="sm" key={c.profileId}>
                <AnchorLink href={`${base}/auth-profiles/${c.profileId}`}>{c.name}</AnchorLink>: the IdP certificate{" "}
                {c.expired ? "expired" : "expires"} {formatDateTime(c.expiresAt)}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}

      <Section
        title="Provisioned in the last 24 hours"
        icon={<IconUsers size={18} />}
        link={<AnchorLink href={`${base}/users`}>Users</AnchorLink>}
      >
        <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
          <StatCard label="Users created" value={data.provisioned.usersCreated} hint={`${data.provisioned.usersTotal} in all`} />
          <StatCard label="Groups created" value={data.provisioned.groupsCreated} hint={`${data.provisioned.groupsTotal} in all`} />
          <StatCard label="SCIM requests" value={s.requests24h} />
          <StatCard label="SCIM errors" value={s.errors24h} />
        </SimpleGrid>
      </Section>

      <Section
        title="SCIM Import"
        icon={<IconDownload size={18} />}
        link={<AnchorLink href={`${base}/events`}>Provisioning events</AnchorLink>}
      >
        {s.lastRequestAt ? (
          <Text size="sm">
            Last request {formatDateTime(s.lastRequestAt)}, answered{" "}
            <Badge color={s.lastStatus !== null && s.lastStatus >= 400 ? "red" : "green"} variant="light">
              {s.lastStatus}
            </Badge>
            {s.errors24h > 0 ? ` — ${s.errors24h} of ${s.requests24h} requests failed in the last 24 hours.` : ""}
          </Text>
        ) : (
          <Empty>
            No SCIM request yet. {s.tokenSet ? "A token is set: " : ""}
            <AnchorLink href={`${base}/scim-import`}>{s.tokenSet ? "see the base URL" : "Generate a token"}</AnchorLink> to connect Okta or
            Entra ID.
          </Empty>
        )}
      </Section>

      <Section
        title="SCIM Export"
        icon={<IconCloudUpload size={18} />}
        link={<AnchorLink href={`${base}/scim-export`}>Profiles</AnchorLink>}
      >
        {data.exportProfiles.length === 0 ? (
          <Empty>
            No export profile yet. <AnchorLink href={`${base}/scim-export`}>Add one</AnchorLink> to push users and groups to Databricks or
            any SCIM 2.0 application.
          </Empty>
        ) : (
          <Table aria-label="Export profiles" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Profile</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Last sync</Table.Th>
                <Table.Th>Next sync</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.exportProfiles.map((p) => {
                const state = p.quarantinedUntil
                  ? profileStatusLabel("QUARANTINED")
                  : !p.enabled
                    ? profileStatusLabel("DISABLED")
                    : profileStatusLabel(p.lastSyncStatus === "FAILED" ? "FAILED" : p.lastSyncAt ? "HEALTHY" : "NEVER_SYNCED");
                return (
                  <Table.Tr key={p.id}>
                    <Table.Td>
                      <AnchorLink href={`${base}/scim-export/${p.id}`}>{p.name}</AnchorLink>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={state.color} variant="light" tt="none">
                        {state.label}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{p.lastSyncAt ? formatDateTime(p.lastSyncAt) : "—"}</Table.Td>
                    <Table.Td>{p.enabled && p.nextSyncAt ? formatDateTime(p.nextSyncAt) : "—"}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </Section>

      <Section
        title="Recent sign-in refusals"
        icon={<IconLogin size={18} />}
        link={<AnchorLink href={`${base}/events/sign-ins`}>Sign-ins</AnchorLink>}
      >
        {data.refusals.length === 0 ? (
          <Empty>No sign-in was refused.</Empty>
        ) : (
          <Table aria-label="Recent sign-in refusals" verticalSpacing="xs">
            <Table.Tbody>
              {data.refusals.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{formatDateTime(r.at)}</Table.Td>
                  <Table.Td>{r.email ?? "unknown user"}</Table.Td>
                  <Table.Td>{r.profileName ?? "—"}</Table.Td>
                  <Table.Td>{r.detail ?? r.reason}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>

      {data.expiringCertificates.length === 0 && (
        <Group gap="xs">
          <IconCertificate size={16} />
          <Text size="sm" c="dimmed">
            No IdP certificate expires in the next 30 days (<AnchorLink href={`${base}/auth-profiles`}>Authentication Profiles</AnchorLink>
            ).
          </Text>
        </Group>
      )}
    </Stack>
  );
}
