"use client";
import {
  Button,
  Card,
  Collapse,
  Group,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconChevronDown, IconChevronRight, IconPlugConnected } from "@tabler/icons-react";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import { IntegerField } from "@/components/form/integer-field";
import { useTenant } from "@/components/shell/tenant-context";
import { applyServerError } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";
import {
  LEAVE_ACTIONS,
  TOKEN_NEEDED_FOR_ANOTHER_HOST,
  leaveActionLabels,
  storedTokenMayGoTo,
  zExportConfigurationForm,
  type ExportConfigurationFormValues,
} from "@/lib/validation/scim-export";
import { TestConnectionResult, type ConnectionResult } from "./test-connection-result";
import { useProfile, type ExportProfile } from "./use-profile";

const SCHEDULES = [
  { value: "off", label: "No schedule (Sync and changes only)" },
  { value: "15", label: "Every 15 minutes" },
  { value: "30", label: "Every 30 minutes" },
  { value: "40", label: "Every 40 minutes" },
  { value: "60", label: "Every hour" },
  { value: "240", label: "Every 4 hours" },
  { value: "720", label: "Every 12 hours" },
  { value: "1440", label: "Every day" },
];

const MATCH_ORDERS = [
  { value: "userName,externalId", label: "userName, then externalId" },
  { value: "externalId,userName", label: "externalId, then userName" },
  { value: "userName", label: "userName only" },
  { value: "externalId", label: "externalId only" },
];

type TestedConnection = { result: ConnectionResult; baseUrl: string; token: string };

function formValues(p: ExportProfile): ExportConfigurationFormValues {
  const c = p.configuration;
  return {
    baseUrl: c.baseUrl ?? "",
    token: "",
    scheduleMinutes: c.scheduleMinutes,
    leaveAction: c.leaveAction,
    deletionThreshold: c.deletionThreshold,
    fullSyncHours: c.fullSyncHours,
    enabled: c.enabled,
    matchOrder: c.matchOrder,
    requestsPerSecond: c.requestsPerSecond,
    concurrency: c.concurrency,
  };
}

/** Steps 4–5: Tenant URL, Secret Token, Test Connection; plus schedule, leaving scope and safety settings. */
export function ConfigurationTab() {
  const profile = useProfile();
  if (!profile.data) return null;
  return <ConfigurationForm profile={profile.data} />;
}

function ConfigurationForm({ profile }: { profile: ExportProfile }) {
  const tenant = useTenant();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [advanced, setAdvanced] = useState(false);
  // A result holds for the URL and token it tested: the stored result for the saved ones (an empty token field).
  const [tested, setTested] = useState<TestedConnection | null>(
    profile.lastConnection ? { result: profile.lastConnection, baseUrl: profile.configuration.baseUrl ?? "", token: "" } : null,
  );
  const { tokenSet, tokenMasked } = profile.configuration;
  const save = useMutation(trpc.scimExport.saveConfiguration.mutationOptions());
  const test = useMutation(trpc.scimExport.testConnection.mutationOptions());
  const form = useForm<ExportConfigurationFormValues>({
    resolver: zodResolver(zExportConfigurationForm),
    defaultValues: formValues(profile),
  });
  const readOnly = !tenant.canWrite;
  // The stored token is only sent to the host it was saved for: another host needs it typed again.
  const typedUrl = useWatch({ control: form.control, name: "baseUrl" }).trim();
  const typedToken = useWatch({ control: form.control, name: "token" });
  // Shown only while the form still holds what was tested: "Connection succeeded" must not outlive an edit of the URL or token.
  const result = tested && tested.baseUrl === typedUrl && tested.token === typedToken ? tested.result : null;
  const tokenForAnotherHost = tokenSet && URL.canParse(typedUrl) && !storedTokenMayGoTo(profile.configuration.baseUrl, typedUrl);
  const tokenMissingForAnotherHost = () => {
    if (!tokenForAnotherHost || form.getValues("token").trim()) return false;
    form.setError("token", { message: TOKEN_NEEDED_FOR_ANOTHER_HOST }, { shouldFocus: true });
    return true;
  };

  const onSubmit = form.handleSubmit(async (values) => {
    if (tokenMissingForAnotherHost()) return;
    try {
      await save.mutateAsync({ tenantSlug: tenant.slug, profileId: profile.id, ...values });
      notifications.show({
        color: "green",
        message: values.token ? "Configuration saved. The new Secret Token is stored encrypted." : "Configuration saved.",
      });
      form.reset({ ...values, token: "" });
      // The tested values are now the saved ones, which an empty token field stands for.
      if (tested && tested.baseUrl === values.baseUrl.trim() && tested.token === values.token) setTested({ ...tested, token: "" });
      await queryClient.invalidateQueries({ queryKey: trpc.scimExport.get.queryKey() });
      await queryClient.invalidateQueries({ queryKey: trpc.scimExport.list.queryKey() });
    } catch (e) {
      const message = applyServerError(form, e);
      if (message) notifications.show({ color: "red", title: "Configuration not saved", message });
    }
  });

  const onTest = async () => {
    const ok = await form.trigger("baseUrl");
    if (!ok || tokenMissingForAnotherHost()) return;
    const { baseUrl, token } = form.getValues();
    const testedWith = { baseUrl: baseUrl.trim(), token };
    try {
      const answer = await test.mutateAsync({ tenantSlug: tenant.slug, profileId: profile.id, baseUrl, token: token || undefined });
      setTested({ result: answer, ...testedWith });
    } catch (e) {
      // A field error (the token for another host) goes under its field; anything else is the result.
      const message = applyServerError(form, e);
      setTested(
        message === null
          ? null
          : { result: { ok: false, kind: "ERROR", message, httpStatus: null, detail: null, checkedAt: new Date() }, ...testedWith },
      );
    }
  };

  const tokenPlaceholder = tokenSet ? `${tokenMasked ?? "••••"} (stored)` : "Paste the token from the application's admin console";
  const tokenDescription = tokenForAnotherHost
    ? "Required: the Tenant URL points at another host than the stored token's. Paste the token this host issued; the stored one is never sent to a new host."
    : tokenSet
      ? "Stored encrypted and never shown again. Leave empty to keep it; type a new one to replace it."
      : "The bearer token the application issued for provisioning. Stored encrypted; never shown again.";

  return (
    <Stack maw={880}>
      <Card withBorder component="form" onSubmit={onSubmit} noValidate aria-label="Configuration">
        <Stack>
          <Title order={4}>Target</Title>
          <TextInput
            label="Tenant URL"
            description={
              profile.type === "DATABRICKS"
                ? "The SCIM base URL from the Databricks admin console (Provisioning): workspace …/api/2.0/preview/scim/v2 or account …/api/2.0/accounts/<id>/scim/v2."
                : "The SCIM 2.0 base URL of the application; /Users and /Groups are appended to it."
            }
            placeholder="https://adb-1234567890.12.azuredatabricks.net/api/2.0/preview/scim/v2"
            readOnly={readOnly}
            {...form.register("baseUrl")}
            error={form.formState.errors.baseUrl?.message}
          />
          <PasswordInput
            label="Secret Token"
            description={tokenDescription}
            withAsterisk={tokenForAnotherHost || !tokenSet}
            placeholder={tokenForAnotherHost ? "Paste the token for the new host" : tokenPlaceholder}
            autoComplete="new-password"
            readOnly={readOnly}
            {...form.register("token")}
            error={form.formState.errors.token?.message}
          />
          {tokenSet && (
            <Text size="sm" c="dimmed" data-testid="token-status">
              Secret Token: {tokenPlaceholder}
            </Text>
          )}
          <Group>
            <Button
              variant="light"
              leftSection={<IconPlugConnected size={16} />}
              onClick={() => void onTest()}
              loading={test.isPending}
              disabled={readOnly}
            >
              Test Connection
            </Button>
            <Text size="xs" c="dimmed">
              Tests the URL and token in the form (the stored token when the field is empty and the host unchanged), without saving.
            </Text>
          </Group>
          {result && <TestConnectionResult result={result} />}

          <Title order={4} mt="md">
            Sync
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Controller
              control={form.control}
              name="scheduleMinutes"
              render={({ field, fieldState }) => (
                <Select
                  label="Schedule"
                  description="How often a full sync runs. Directory changes are also pushed within seconds."
                  data={
                    SCHEDULES.some((s) => s.value === String(field.value)) || field.value === null
                      ? SCHEDULES
                      : [...SCHEDULES, { value: String(field.value), label: `Every ${field.value} minutes` }]
                  }
                  value={field.value === null ? "off" : String(field.value)}
                  onChange={(v) => field.onChange(!v || v === "off" ? null : Number(v))}
                  allowDeselect={false}
                  readOnly={readOnly}
                  error={fieldState.error?.message}
                />
              )}
            />
            <Controller
              control={form.control}
              name="leaveAction"
              render={({ field, fieldState }) => (
                <Select
                  label="When a user leaves scope"
                  description="Removed from every assigned group, deactivated or deleted in the directory."
                  data={LEAVE_ACTIONS.map((value) => ({ value, label: leaveActionLabels[value] }))}
                  value={field.value}
                  onChange={(v) => v && field.onChange(v)}
                  allowDeselect={false}
                  readOnly={readOnly}
                  error={fieldState.error?.message}
                />
              )}
            />
            <IntegerField
              control={form.control}
              name="deletionThreshold"
              label="Deletion threshold"
              description="A sync that would deactivate or delete more users than this stops and asks you first."
              min={0}
              whenEmpty={0}
              readOnly={readOnly}
            />
            <IntegerField
              control={form.control}
              name="fullSyncHours"
              label="Full reconcile every (hours)"
              description="Between full passes, syncs send only what changed in the directory."
              placeholder="24"
              min={1}
              max={720}
              whenEmpty={undefined}
              readOnly={readOnly}
            />
            <Controller
              control={form.control}
              name="enabled"
              render={({ field }) => (
                <Switch
                  mt="lg"
                  label="Automatic syncs"
                  description="Scheduled and change-triggered syncs. Sync and Provision on Demand always work."
                  checked={field.value}
                  onChange={(e) => field.onChange(e.currentTarget.checked)}
                  disabled={readOnly}
                />
              )}
            />
          </SimpleGrid>

          <UnstyledButton onClick={() => setAdvanced((v) => !v)} aria-expanded={advanced}>
            <Group gap={4}>
              {advanced ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
              <Text size="sm" fw={600}>
                Matching and pacing
              </Text>
            </Group>
          </UnstyledButton>
          <Collapse expanded={advanced}>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <Controller
                control={form.control}
                name="matchOrder"
                render={({ field, fieldState }) => (
                  <Select
                    label="Match existing remote users by"
                    description="Before creating a user, the sync looks for one already in the target."
                    data={MATCH_ORDERS}
                    value={field.value.join(",")}
                    onChange={(v) => v && field.onChange(v.split(","))}
                    allowDeselect={false}
                    readOnly={readOnly}
                    error={fieldState.error?.message}
                  />
                )}
              />
              <IntegerField
                control={form.control}
                name="requestsPerSecond"
                label="Requests per second"
                description={profile.type === "DATABRICKS" ? "Empty: Databricks' default pace." : "Empty: the default pace."}
                min={1}
                whenEmpty={null}
                readOnly={readOnly}
              />
              <IntegerField
                control={form.control}
                name="concurrency"
                label="Parallel requests"
                min={1}
                max={32}
                whenEmpty={1}
                readOnly={readOnly}
              />
            </SimpleGrid>
          </Collapse>

          {tenant.canWrite && (
            <Group justify="flex-end">
              <Button type="submit" loading={form.formState.isSubmitting}>
                Save
              </Button>
            </Group>
          )}
        </Stack>
      </Card>
    </Stack>
  );
}
