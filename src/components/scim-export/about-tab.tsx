"use client";
import { Anchor, Badge, Card, Grid, Group, Stack, Table, Text, Title } from "@mantine/core";
import { plural } from "@/lib/plural";
import Link from "next/link";
import type { ReactNode } from "react";
import { useTenant } from "@/components/shell/tenant-context";
import { formatDateTime } from "@/lib/format-date";
import { formatInterval } from "./format";
import { leaveScopeLabel, profileTypeLabel, runStatusLabel } from "./labels";
import { ProvisionUserCard } from "./provision-user-card";
import { SyncButton } from "./sync-button";
import { useProfile } from "./use-profile";

/** Steps 13–15: what the profile is, what it has synced, and Provision on Demand. */
export function AboutTab() {
  const tenant = useTenant();
  const profile = useProfile();
  if (!profile.data) return null;
  const p = profile.data;
  const c = p.configuration;
  const last = runStatusLabel(p.lastSyncStatus);
  const configured = Boolean(c.baseUrl && c.tokenSet);
  const base = `/t/${tenant.slug}/scim-export/${p.id}`;

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Card withBorder h="100%">
          <Title order={4} mb="sm">
            About this profile
          </Title>
          <Table aria-label="About this profile" withRowBorders={false} verticalSpacing={6}>
            <Table.Tbody>
              <Row label="Application">{p.name}</Row>
              <Row label="Type">{profileTypeLabel(p.type).label}</Row>
              {p.description && <Row label="Description">{p.description}</Row>}
              <Row label="Tenant URL">
                {c.baseUrl ?? (
                  <Anchor component={Link} href={`${base}/configuration`}>
                    Not set
                  </Anchor>
                )}
              </Row>
              <Row label="Assigned groups">
                <Anchor component={Link} href={`${base}/groups`}>
                  {p.assignedGroups.toLocaleString()}
                </Anchor>
                {c.includeNestedGroups && (
                  <Text span size="sm" c="dimmed">
                    {" "}
                    (with nested groups)
                  </Text>
                )}
              </Row>
              <Row label="Synced users">
                <span data-testid="synced-users">{p.syncedUsers.toLocaleString()}</span>
              </Row>
              <Row label="Synced groups">
                <span data-testid="synced-groups">{p.syncedGroups.toLocaleString()}</span>
              </Row>
              <Row label="Last sync">
                {p.lastSyncAt ? (
                  <Group gap="xs">
                    <Badge color={last.color} variant="light">
                      {last.label}
                    </Badge>
                    <Text size="sm">{formatDateTime(p.lastSyncAt)}</Text>
                  </Group>
                ) : (
                  "Never"
                )}
              </Row>
              <Row label="Next scheduled sync">{c.enabled && p.nextSyncAt ? formatDateTime(p.nextSyncAt) : "Not scheduled"}</Row>
              <Row label="Schedule">{c.enabled ? formatInterval(c.scheduleMinutes) : "Automatic syncs are off"}</Row>
              <Row label="When a user leaves scope">{leaveScopeLabel(c.leaveAction).label}</Row>
              <Row label="Deletion threshold">{plural(c.deletionThreshold, "user")} per sync</Row>
              <Row label="Created">{formatDateTime(p.createdAt)}</Row>
            </Table.Tbody>
          </Table>
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Stack h="100%">
          <Card withBorder>
            <Stack gap="sm">
              <Title order={4}>Provision on Demand</Title>
              <Text size="sm" c="dimmed">
                Runs a full sync now: every member of the assigned groups is created or updated in the target, and the groups with their
                members. Use it for the first synchronisation; afterwards syncs run on the schedule and after each directory change.
              </Text>
              {!configured && (
                <Text size="sm" c="orange">
                  Enter the Tenant URL and Secret Token on the Configuration tab first.
                </Text>
              )}
              {tenant.canWrite && (
                <Group>
                  <SyncButton profileId={p.id} mode="onDemand" disabled={!configured} />
                </Group>
              )}
            </Stack>
          </Card>
          {tenant.canWrite && <ProvisionUserCard profileId={p.id} disabled={!configured} />}
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Td w={200}>
        <Text size="sm" c="dimmed">
          {label}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" component="div">
          {children}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}
