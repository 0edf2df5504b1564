"use client";
import { Alert, Anchor, Badge, Button, Card, Code, Group, NumberInput, Skeleton, Stack, Switch, Table, Text, Title } from "@mantine/core";
import { modals } from "@mantine/modals";
import { notifications } from "@mantine/notifications";
import { IconPlayerPlay } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { certificateExpiry } from "@/lib/certificate-expiry";
import { formatDate } from "@/lib/format-date";
import { useTenant } from "@/components/shell/tenant-context";
import { PageHeader } from "@/components/ui/page-header";
import { errorMessage } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";
import { EditOidcSettingsModal, ReimportMetadataModal } from "./edit-idp-forms";
import { reasonLabel } from "./reason-labels";

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={220} fw={500} c="dimmed">
        {label}
      </Table.Th>
      <Table.Td style={{ wordBreak: "break-all" }}>{children ?? "—"}</Table.Td>
    </Table.Tr>
  );
}

function flatten(value: unknown, prefix = ""): [string, string][] {
  if (value === null || value === undefined) return [];
  if (typeof value !== "object") return [[prefix, String(value)]];
  if (Array.isArray(value)) return [[prefix, value.map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v))).join(", ")]];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

function TestResult({ tenantSlug, eventId }: { tenantSlug: string; eventId: string }) {
  const trpc = useTRPC();
  const result = useQuery(trpc.sso.testResult.queryOptions({ tenantSlug, eventId }));
  if (result.isLoading) return <Skeleton h={100} />;
  if (!result.data) return null;
  const r = result.data;
  const attributes = flatten(r.claims).filter(([k]) => k && !k.startsWith("requested"));
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="test-title">
      <Title order={4} id="test-title" mb="sm">
        Test sign-in result
      </Title>
      <Alert
        color={r.outcome === "SUCCESS" ? "green" : "orange"}
        mb="sm"
        title={r.outcome === "SUCCESS" ? "This user can sign in" : "This user would be refused"}
      >
        {r.outcome === "SUCCESS" ? `Matched directory user ${r.directoryUser?.userName}.` : (r.detail ?? reasonLabel(r.reason))}
      </Alert>
      <Table withRowBorders={false}>
        <Table.Tbody>
          <Row label="Identifier sent by the IdP">{r.email}</Row>
          <Row label="Directory user">
            {r.directoryUser
              ? `${r.directoryUser.displayName ?? r.directoryUser.userName} (${r.directoryUser.userName})${r.directoryUser.active ? "" : " — deactivated"}`
              : "No match"}
          </Row>
        </Table.Tbody>
      </Table>
      {attributes.length > 0 && (
        <>
          <Text fw={500} size="sm" mt="sm" mb={4}>
            Attributes
          </Text>
          <Table striped aria-label="Attributes sent by the IdP">
            <Table.Tbody>
              {attributes.map(([k, v]) => (
                <Table.Tr key={k}>
                  <Table.Td w={220}>
                    <Code>{k}</Code>
                  </Table.Td>
                  <Table.Td style={{ wordBreak: "break-all" }}>{v}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Card>
  );
}

export function AuthProfileDetail({ profileId }: { profileId: string }) {
  const tenant = useTenant();
  const trpc = useTRPC();
  const router = useRouter();
  const params = useSearchParams();
  const queryClient = useQueryClient();
  const profile = useQuery(trpc.sso.profile.queryOptions({ tenantSlug: tenant.slug, profileId }));
  const [priority, setPriority] = useState<number>(100);
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    if (profile.data) setPriority(profile.data.priority);
  }, [profile.data]);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.sso.pathKey() });
  const update = useMutation(
    trpc.sso.update.mutationOptions({
      onSuccess: invalidate,
      onError: (e) => notifications.show({ color: "red", title: "Not saved", message: errorMessage(e) }),
    }),
  );
  const remove = useMutation(trpc.sso.delete.mutationOptions());
  if (profile.isLoading) return <Skeleton h={200} />;
  if (!profile.data) return <Alert color="red">{errorMessage(profile.error)}</Alert>;
  const p = profile.data;
  const expiry = p.protocol === "SAML" ? certificateExpiry(p.idpCertExpiresAt) : null;
  const testId = params.get("test");

  const confirmDelete = () =>
    modals.openConfirmModal({
      title: `Delete ${p.name}?`,
      children: (
        <Text size="sm">
          Members of {p.groups.length ? p.groups.map((g) => g.displayName).join(", ") : "its groups"} will no longer be able to sign in with
          it.
        </Text>
      ),
      labels: { confirm: "Delete", cancel: "Cancel" },
      confirmProps: { color: "red" },
      onConfirm: async () => {
        try {
          await remove.mutateAsync({ tenantSlug: tenant.slug, profileId: p.id });
          await invalidate();
          router.push(`/t/${tenant.slug}/auth-profiles`);
        } catch (e) {
          notifications.show({ color: "red", title: "Not deleted", message: errorMessage(e) });
        }
      },
    });

  return (
    <>
      <PageHeader
        title={p.name}
        description={
          <Anchor component={Link} href={`/t/${tenant.slug}/auth-profiles`}>
            ← Authentication Profiles
          </Anchor>
        }
        actions={
          tenant.canWrite && (
            <>
              <Button
                component="a"
                href={`/api/sso/${encodeURIComponent(tenant.slug)}/test?profileId=${p.id}`}
                leftSection={<IconPlayerPlay size={16} />}
              >
                Test sign-in
              </Button>
              <Button variant="default" onClick={() => setEditing(true)}>
                {p.protocol === "SAML" ? "Re-import metadata" : "Edit OIDC settings"}
              </Button>
              <Button
                variant="light"
                onClick={() =>
                  update.mutate({ tenantSlug: tenant.slug, profileId: p.id, status: p.status === "ACTIVE" ? "DISABLED" : "ACTIVE" })
                }
                loading={update.isPending}
              >
                {p.status === "ACTIVE" ? "Disable" : "Enable"}
              </Button>
              <Button color="red" variant="subtle" onClick={confirmDelete}>
                Delete
              </Button>
            </>
          )
        }
      />
      {tenant.canWrite && p.protocol === "SAML" && (
        <ReimportMetadataModal
          tenantSlug={tenant.slug}
          profileId={p.id}
          currentUrl={p.metadataUrl}
          opened={editing}
          onClose={() => setEditing(false)}
        />
      )}
      {tenant.canWrite && p.protocol === "OIDC" && editing && (
        <EditOidcSettingsModal tenantSlug={tenant.slug} profile={p} opened={editing} onClose={() => setEditing(false)} />
      )}
      <Stack maw={900}>
        {testId && <TestResult tenantSlug={tenant.slug} eventId={testId} />}
        {expiry?.state === "expired" && (
          <Alert color="red" title="Certificate expired">
            The IdP's signing certificate has expired; sign-ins will fail until the IdP rotates it and you re-import its metadata.
          </Alert>
        )}
        {expiry?.state === "expiring" && (
          <Alert color="orange" title={`Certificate expires in ${expiry.daysLeft} day${expiry.daysLeft === 1 ? "" : "s"}`}>
            The IdP's signing certificate is valid until {formatDate(p.idpCertExpiresAt!)}.{" "}
            {p.metadataUrl
              ? "The metadata URL is read again every day, so the new certificate is taken in as soon as the IdP publishes it."
              : "When the IdP has rotated it, re-import its metadata (or give a metadata URL, which is read again every day)."}
          </Alert>
        )}
        <Card withBorder radius="md" padding="lg">
          <Table withRowBorders={false} aria-label="Profile details">
            <Table.Tbody>
              <Row label="Protocol">
                <Badge variant="light">{p.protocol}</Badge>
              </Row>
              <Row label="Status">
                <Badge color={p.status === "ACTIVE" ? "green" : "gray"}>{p.status === "ACTIVE" ? "Active" : "Disabled"}</Badge>
              </Row>
              <Row label={p.protocol === "SAML" ? "IdP entity ID" : "Issuer"}>{p.idpEntityId}</Row>
              <Row label={p.protocol === "SAML" ? "IdP single sign-on URL" : "Authorization endpoint"}>{p.idpSsoUrl}</Row>
              {p.protocol === "SAML" && (
                <Row label="IdP certificate valid until">{p.idpCertExpiresAt ? formatDate(p.idpCertExpiresAt) : null}</Row>
              )}
              {p.metadataUrl && <Row label="Metadata URL">{p.metadataUrl}</Row>}
              {p.protocol === "OIDC" && <Row label="Discovery URL">{p.oidcDiscoveryUrl}</Row>}
              {p.protocol === "OIDC" && <Row label="Client ID">{p.oidcClientId}</Row>}
              {p.protocol === "OIDC" && <Row label="Client secret">{p.hasClientSecret ? "Stored (encrypted)" : "—"}</Row>}
              <Row label="Assigned groups">
                {p.groups.length
                  ? p.groups.map((g) => (
                      <Anchor key={g.id} component={Link} href={`/t/${tenant.slug}/groups/${g.id}`} mr="sm">
                        {g.displayName}
                      </Anchor>
                    ))
                  : "None yet: assign it on a group's page (Users & Groups → User Groups)."}
              </Row>
            </Table.Tbody>
          </Table>
        </Card>
        {p.protocol === "SAML" && (
          <Card withBorder radius="md" padding="lg">
            <Switch
              label="Allow sign-in from the IdP's dashboard"
              description="Users may start from their identity provider, e.g. the app tile in their Okta dashboard (IdP-initiated sign-in). The IdP's answer gets every check a sign-in started here gets; turned off, only sign-ins started at this organisation's sign-in page are accepted."
              checked={p.allowIdpInitiated}
              disabled={!tenant.canWrite || update.isPending}
              onChange={(event) =>
                update.mutate(
                  { tenantSlug: tenant.slug, profileId: p.id, allowIdpInitiated: event.currentTarget.checked },
                  {
                    onSuccess: (saved) =>
                      notifications.show({
                        color: "green",
                        message: saved.allowIdpInitiated
                          ? "Sign-in from the IdP's dashboard is allowed."
                          : "Only sign-ins started at the sign-in page are accepted now.",
                      }),
                  },
                )
              }
            />
          </Card>
        )}
        {p.protocol === "SAML" && <ProfileEvents tenantSlug={tenant.slug} profileId={p.id} />}
        {tenant.canWrite && (
          <Card withBorder radius="md" padding="lg">
            <Group align="flex-end">
              <NumberInput
                label="Priority"
                description="Lowest number wins when a user's groups have different profiles."
                min={1}
                max={1000}
                value={priority}
                onChange={(v) => setPriority(typeof v === "number" ? v : 100)}
                w={320}
              />
              <Button
                variant="default"
                disabled={priority === p.priority}
                onClick={() => update.mutate({ tenantSlug: tenant.slug, profileId: p.id, priority })}
              >
                Save priority
              </Button>
            </Group>
          </Card>
        )}
      </Stack>
    </>
  );
}

const eventLabels: Record<string, { label: string; color: string }> = {
  certificate_changed: { label: "Certificate changed", color: "blue" },
  metadata_changed: { label: "Metadata changed", color: "blue" },
  refresh_failed: { label: "Refresh failed", color: "orange" },
};

/** What the daily metadata refresh did to this profile (a rotated certificate taken in, a URL that failed). */
function ProfileEvents({ tenantSlug, profileId }: { tenantSlug: string; profileId: string }) {
  const trpc = useTRPC();
  const events = useQuery(trpc.sso.events.queryOptions({ tenantSlug, profileId }));
  if (!events.data?.length) return null;
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="profile-events-title">
      <Title order={4} id="profile-events-title" mb="sm">
        Certificate and metadata events
      </Title>
      <Table striped aria-label="Certificate and metadata events">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={180}>When</Table.Th>
            <Table.Th w={170}>What</Table.Th>
            <Table.Th>Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.data.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>{formatDate(e.at)}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={eventLabels[e.kind]?.color ?? "gray"}>
                  {eventLabels[e.kind]?.label ?? e.kind}
                </Badge>
              </Table.Td>
              <Table.Td style={{ wordBreak: "break-word" }}>
                <Text size="sm">{e.message}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
