"use client";
import { ActionIcon, Button, Card, CopyButton, Group, Skeleton, Stack, Text, Title, Tooltip } from "@mantine/core";
import { IconCheck, IconCopy, IconDownload } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { formatDate } from "@/lib/format-date";
import { useTRPC } from "@/lib/trpc";

function CopyValue({ label, value }: { label: string; value: string }) {
  return (
    <Group justify="space-between" wrap="nowrap" gap="xs">
      <div style={{ minWidth: 0 }}>
        <Text size="xs" c="dimmed">
          {label}
        </Text>
        <Text size="sm" ff="monospace" style={{ wordBreak: "break-all" }}>
          {value}
        </Text>
      </div>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? "Copied" : "Copy"}>
            <ActionIcon variant="subtle" onClick={copy} aria-label={`Copy ${label}`}>
              {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

/** What the IdP admin needs (product step 4): entity ID, ACS URL, certificate, metadata file/URL. */
export function SpDetailsCard({ tenantSlug }: { tenantSlug: string }) {
  const trpc = useTRPC();
  const sp = useQuery(trpc.sso.spMetadata.queryOptions({ tenantSlug }));
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="sp-title">
      <Group justify="space-between" mb="sm">
        <Title order={4} id="sp-title">
          Service provider (this console)
        </Title>
        <Button
          component="a"
          href={`/api/sso/${encodeURIComponent(tenantSlug)}/metadata?download=1`}
          download
          leftSection={<IconDownload size={16} />}
          variant="light"
        >
          Download SP metadata
        </Button>
      </Group>
      {sp.data ? (
        <Stack gap="xs">
          <CopyValue label="Entity ID (Audience URI)" value={sp.data.entityId} />
          <CopyValue label="ACS URL (Single sign-on URL)" value={sp.data.acsUrl} />
          <CopyValue label="SP metadata URL" value={sp.data.metadataUrl} />
          <CopyValue label="User portal sign-in URL" value={sp.data.signInUrl} />
          <CopyValue label="Signing certificate" value={sp.data.certificatePem} />
          <Text size="xs" c="dimmed">
            Certificate valid until {formatDate(sp.data.certExpiresAt)}. Name ID format: email address.
          </Text>
        </Stack>
      ) : (
        <Skeleton h={120} />
      )}
    </Card>
  );
}
