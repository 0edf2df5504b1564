"use client";
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  List,
  Modal,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from "@mantine/core";
import { modals } from "@mantine/modals";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconCheck, IconCopy, IconKey } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formatDateTime } from "@/lib/format-date";
import { errorMessage } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";
import { useTenant } from "../shell/tenant-context";
import { UserExtensionsSettings } from "./user-extensions-settings";

function CopyField({ label, value }: { label: string; value: string }) {
  return (
    <TextInput
      label={label}
      value={value}
      readOnly
      styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
      rightSection={
        <CopyButton value={value} timeout={2000}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? "Copied" : "Copy"} withArrow>
              <ActionIcon variant="subtle" color={copied ? "teal" : "gray"} onClick={copy} aria-label={`Copy ${label}`}>
                {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      }
    />
  );
}

export function ScimImportSettings() {
  const tenant = useTenant();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.scimImport.settings.queryOptions({ tenantSlug: tenant.slug }));
  const generate = useMutation(trpc.scimImport.generateToken.mutationOptions());
  const [shownToken, setShownToken] = useState<string | null>(null);
  const hasToken = Boolean(settings.data?.token);

  const run = async () => {
    try {
      const { token } = await generate.mutateAsync({ tenantSlug: tenant.slug });
      setShownToken(token);
      await queryClient.invalidateQueries({ queryKey: trpc.scimImport.settings.queryKey({ tenantSlug: tenant.slug }) });
    } catch (e) {
      notifications.show({ color: "red", title: "No token generated", message: errorMessage(e) });
    }
  };

  const confirm = () =>
    hasToken
      ? modals.openConfirmModal({
          title: "Regenerate the SCIM token?",
          children: (
            <Text size="sm">
              The current token stops working immediately. Okta or Entra ID will fail to provision until you paste the new token into their
              provisioning settings.
            </Text>
          ),
          labels: { confirm: "Regenerate token", cancel: "Cancel" },
          confirmProps: { color: "red" },
          onConfirm: run,
        })
      : modals.openConfirmModal({
          title: "Generate a SCIM token?",
          children: <Text size="sm">The token is shown once. Copy it into your identity provider's provisioning settings right away.</Text>,
          labels: { confirm: "Generate token", cancel: "Cancel" },
          onConfirm: run,
        });

  return (
    <Stack maw={760}>
      <Card withBorder>
        <Stack>
          <Title order={4}>Connection</Title>
          {settings.isLoading ? <Skeleton h={60} /> : settings.data && <CopyField label="SCIM Base URL" value={settings.data.baseUrl} />}
          <Group justify="space-between" align="flex-end">
            <Stack gap={4}>
              <Group gap="xs">
                <Text fw={500}>API token</Text>
                {settings.data &&
                  (hasToken ? (
                    <Badge color="green" variant="light">
                      Active
                    </Badge>
                  ) : (
                    <Badge color="gray" variant="light">
                      Not generated
                    </Badge>
                  ))}
              </Group>
              {settings.data?.token && (
                <Text size="sm" c="dimmed">
                  <Code>{settings.data.token.prefix}…</Code> created {formatDateTime(settings.data.token.createdAt)} ·{" "}
                  {settings.data.token.lastUsedAt ? `last used ${formatDateTime(settings.data.token.lastUsedAt)}` : "never used"}
                </Text>
              )}
              {settings.data && !hasToken && (
                <Text size="sm" c="dimmed">
                  Generate a token for your identity provider to authenticate with.
                </Text>
              )}
            </Stack>
            {tenant.canWrite && (
              <Button
                leftSection={<IconKey size={16} />}
                variant={hasToken ? "default" : "filled"}
                onClick={confirm}
                loading={generate.isPending}
              >
                {hasToken ? "Regenerate token" : "Generate token"}
              </Button>
            )}
          </Group>
          {!tenant.canWrite && (
            <Text size="sm" c="dimmed">
              Only owners and admins can generate the token.
            </Text>
          )}
        </Stack>
      </Card>

      <Card withBorder>
        <Stack gap="xs">
          <Title order={4}>Set up your identity provider</Title>
          <Text fw={500} size="sm">
            Okta
          </Text>
          <List size="sm" type="ordered" spacing={4}>
            <List.Item>In the app's General tab, enable SCIM provisioning.</List.Item>
            <List.Item>
              Under Provisioning → Integration, paste the SCIM Base URL as the connector base URL and use <b>userName</b> as the unique
              identifier.
            </List.Item>
            <List.Item>
              Choose <b>HTTP Header</b> as the authentication mode and paste the API token.
            </List.Item>
            <List.Item>
              Click <b>Test Connector Configuration</b>, then Save, and enable the To App provisioning actions.
            </List.Item>
          </List>
          <Text fw={500} size="sm" mt="sm">
            Microsoft Entra ID
          </Text>
          <List size="sm" type="ordered" spacing={4}>
            <List.Item>In the enterprise app, open Provisioning and set the mode to Automatic.</List.Item>
            <List.Item>Paste the SCIM Base URL as the Tenant URL and the API token as the Secret Token.</List.Item>
            <List.Item>
              Click <b>Test Connection</b>, save, assign users and groups, and start provisioning.
            </List.Item>
          </List>
        </Stack>
      </Card>

      <UserExtensionsSettings />

      <Modal
        opened={shownToken !== null}
        onClose={() => setShownToken(null)}
        title="Your new SCIM token"
        size="lg"
        closeOnClickOutside={false}
      >
        <Stack>
          <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title="Copy it now">
            This token is shown only once. Store it in your identity provider; if you lose it, regenerate a new one.
          </Alert>
          {shownToken && <CopyField label="SCIM token" value={shownToken} />}
          <Group justify="flex-end">
            <Button onClick={() => setShownToken(null)}>Done</Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
