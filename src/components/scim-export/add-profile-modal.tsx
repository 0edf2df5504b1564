"use client";
import { Button, Group, Modal, Radio, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Controller, useForm } from "react-hook-form";
import { useTenant } from "@/components/shell/tenant-context";
import { applyServerError } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";
import { emptyExportProfileForm, zExportProfileForm, type ExportProfileFormValues } from "@/lib/validation/scim-export";

const typeChoices = [
  {
    value: "DATABRICKS",
    label: "Databricks",
    description: "Workspace or account SCIM API. userName is the email and cannot change later.",
  },
  { value: "SCIM", label: "SCIM 2.0 application", description: "Any service provider that implements RFC 7643/7644." },
];

/** Step 2: Add → Application Name, description, type → Save. The profile then appears in the table. */
export function AddProfileModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const tenant = useTenant();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.scimExport.create.mutationOptions());
  const form = useForm<ExportProfileFormValues>({ resolver: zodResolver(zExportProfileForm), defaultValues: emptyExportProfileForm });

  const close = () => {
    form.reset();
    onClose();
  };

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await create.mutateAsync({ tenantSlug: tenant.slug, ...values });
      await queryClient.invalidateQueries({ queryKey: trpc.scimExport.list.queryKey() });
      notifications.show({ color: "green", message: `Export profile "${values.name.trim()}" created. Open it to configure the target.` });
      close();
    } catch (e) {
      const message = applyServerError(form, e);
      if (message) notifications.show({ color: "red", title: "Profile not created", message });
    }
  });

  return (
    <Modal opened={opened} onClose={close} title="Add SCIM Export profile" size="lg">
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          <TextInput
            label="Application Name"
            placeholder="Databricks production"
            data-autofocus
            {...form.register("name")}
            error={form.formState.errors.name?.message}
          />
          <Textarea
            label="Description"
            placeholder="What this application is used for"
            autosize
            minRows={2}
            {...form.register("description")}
            error={form.formState.errors.description?.message}
          />
          <Controller
            control={form.control}
            name="type"
            render={({ field, fieldState }) => (
              <Radio.Group label="Application type" value={field.value} onChange={field.onChange} error={fieldState.error?.message}>
                <Stack gap="xs" mt={6}>
                  {typeChoices.map((c) => (
                    <Radio.Card key={c.value} value={c.value} p="sm" radius="md" aria-label={c.label}>
                      <Group wrap="nowrap" align="flex-start">
                        <Radio.Indicator />
                        <div>
                          <Text fw={600} size="sm">
                            {c.label}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {c.description}
                          </Text>
                        </div>
                      </Group>
                    </Radio.Card>
                  ))}
                </Stack>
              </Radio.Group>
            )}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={form.formState.isSubmitting}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
