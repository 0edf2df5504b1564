"use client";
import { Button, Card, Group, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useForm } from "react-hook-form";
import { IntegerField } from "@/components/form/integer-field";
import { applyServerError } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";
import { AUDIT_RETENTION_DAYS, LOG_RETENTION_DAYS, zRetentionPolicy, type RetentionPolicy } from "@/lib/validation/retention";
import { useTenant } from "../shell/tenant-context";

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Settings → Tenant: how long logs are kept (validated, audited), and what they take on disk. */
export function RetentionSettings() {
  const tenant = useTenant();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const retention = useQuery(trpc.retention.get.queryOptions({ tenantSlug: tenant.slug }));
  const save = useMutation(trpc.retention.set.mutationOptions());
  const form = useForm<RetentionPolicy>({
    resolver: zodResolver(zRetentionPolicy),
    defaultValues: { logRetentionDays: LOG_RETENTION_DAYS.default, auditRetentionDays: AUDIT_RETENTION_DAYS.default },
  });
  const { reset } = form;
  const policy = retention.data?.policy;
  useEffect(() => {
    if (policy) reset(policy);
  }, [policy, reset]);

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await save.mutateAsync({ tenantSlug: tenant.slug, ...values });
      notifications.show({ color: "green", message: "Retention saved." });
      await queryClient.invalidateQueries({ queryKey: trpc.retention.get.queryKey({ tenantSlug: tenant.slug }) });
    } catch (e) {
      const message = applyServerError(form, e);
      if (message) notifications.show({ color: "red", title: "Not saved", message });
    }
  });

  return (
    <Card withBorder component="form" onSubmit={onSubmit} noValidate aria-label="Retention">
      <Stack>
        <div>
          <Title order={4}>Retention</Title>
          <Text size="sm" c="dimmed">
            Older entries are deleted by the daily pruning. The directory change feed is kept until every export profile has synced past it.
          </Text>
        </div>
        {retention.isLoading ? (
          <Skeleton h={120} />
        ) : (
          <>
            <Group grow align="flex-start">
              <IntegerField
                control={form.control}
                name="logRetentionDays"
                whenEmpty={undefined}
                label="Events, sign-ins, sync runs (days)"
                description={`Default ${LOG_RETENTION_DAYS.default}`}
                min={LOG_RETENTION_DAYS.min}
                max={LOG_RETENTION_DAYS.max}
                disabled={!tenant.canWrite}
              />
              <IntegerField
                control={form.control}
                name="auditRetentionDays"
                whenEmpty={undefined}
                label="Audit log (days)"
                description={`Default ${AUDIT_RETENTION_DAYS.default}`}
                min={AUDIT_RETENTION_DAYS.min}
                max={AUDIT_RETENTION_DAYS.max}
                disabled={!tenant.canWrite}
              />
            </Group>
            {tenant.canWrite && (
              <Group justify="flex-end">
                <Button type="submit" loading={form.formState.isSubmitting}>
                  Update retention
                </Button>
              </Group>
            )}
            <Table aria-label="Space used" withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Log</Table.Th>
                  <Table.Th ta="right">This organisation&apos;s rows</Table.Th>
                  <Table.Th ta="right">Its share (estimate)</Table.Th>
                  <Table.Th ta="right">Table, all organisations</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(retention.data?.space ?? []).map((row) => (
                  <Table.Tr key={row.label}>
                    <Table.Td>{row.label}</Table.Td>
                    <Table.Td ta="right">{row.tenantRows.toLocaleString("en")}</Table.Td>
                    <Table.Td ta="right">{formatBytes(row.tenantBytesEstimate)}</Table.Td>
                    <Table.Td ta="right">{formatBytes(row.tableBytes)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
      </Stack>
    </Card>
  );
}
