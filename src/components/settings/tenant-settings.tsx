"use client";
import { Button, Card, Group, Stack, Text, TextInput } from "@mantine/core";
import { modals } from "@mantine/modals";
import { notifications } from "@mantine/notifications";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { applyServerError, errorMessage } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";
import { zTenantName } from "@/lib/validation/tenancy";
import { useTenant } from "../shell/tenant-context";
import { RetentionSettings } from "./retention-settings";
import { roleLabel } from "./role-labels";

const schema = z.object({ name: zTenantName });

export function TenantSettings() {
  const tenant = useTenant();
  const trpc = useTRPC();
  const router = useRouter();
  const form = useForm<z.input<typeof schema>>({ resolver: zodResolver(schema), defaultValues: { name: tenant.name } });
  const rename = useMutation(trpc.tenant.rename.mutationOptions());
  const leave = useMutation(trpc.tenant.leave.mutationOptions());

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await rename.mutateAsync({ tenantSlug: tenant.slug, ...values });
      notifications.show({ color: "green", message: "Organisation renamed." });
      router.refresh();
    } catch (e) {
      const message = applyServerError(form, e);
      if (message) notifications.show({ color: "red", title: "Not saved", message });
    }
  });

  const confirmLeave = () =>
    modals.openConfirmModal({
      title: `Leave ${tenant.name}?`,
      children: <Text size="sm">You will lose access to this organisation until someone invites you again.</Text>,
      labels: { confirm: "Leave", cancel: "Cancel" },
      confirmProps: { color: "red" },
      onConfirm: async () => {
        try {
          await leave.mutateAsync({ tenantSlug: tenant.slug });
          router.push("/");
          router.refresh();
        } catch (e) {
          notifications.show({ color: "red", title: "Could not leave", message: errorMessage(e) });
        }
      },
    });

  return (
    <Stack maw={640}>
      <Card withBorder component="form" onSubmit={onSubmit} noValidate>
        <Stack>
          <TextInput
            label="Organisation name"
            disabled={!tenant.canWrite}
            {...form.register("name")}
            error={form.formState.errors.name?.message}
          />
          <TextInput
            label="URL name"
            value={tenant.slug}
            readOnly
            description="Part of the console, SCIM and sign-in URLs; it cannot change."
          />
          <Text size="sm">
            Your role: <b>{roleLabel[tenant.role]}</b>
          </Text>
          {tenant.canWrite && (
            <Group justify="flex-end">
              <Button type="submit" loading={form.formState.isSubmitting}>
                Save
              </Button>
            </Group>
          )}
        </Stack>
      </Card>
      <RetentionSettings />
      <Card withBorder>
        <Group justify="space-between">
          <div>
            <Text fw={600}>Leave this organisation</Text>
            <Text size="sm" c="dimmed">
              An organisation always keeps at least one owner.
            </Text>
          </div>
          <Button color="red" variant="light" onClick={confirmLeave}>
            Leave organisation
          </Button>
        </Group>
      </Card>
    </Stack>
  );
}
