"use client";
import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Code,
  Group,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from "@mantine/core";
import { modals } from "@mantine/modals";
import { notifications } from "@mantine/notifications";
import { zodResolver } from "@hookform/resolvers/zod";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Controller, useForm } from "react-hook-form";
import { z } from "zod";
import { applyServerError, errorMessage } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";
import { EXTENSION_ATTRIBUTE_TYPES, zExtensionAttribute, zExtensionUrn, type UndeclaredPolicy } from "@/lib/validation/scim-extensions";
import { useTenant } from "../shell/tenant-context";

const schema = z.object({
  urn: zExtensionUrn,
  name: zExtensionAttribute.shape.name,
  type: zExtensionAttribute.shape.type,
  description: zExtensionAttribute.shape.description,
});
type FormValues = z.input<typeof schema>;

const TYPE_LABELS: Record<(typeof EXTENSION_ATTRIBUTE_TYPES)[number], string> = {
  string: "Text",
  boolean: "Yes / no (boolean)",
  integer: "Whole number (integer)",
  decimal: "Number (decimal)",
  dateTime: "Date and time",
  reference: "URL (reference)",
};

const EXAMPLE_URN = "urn:ietf:params:scim:schemas:extension:acme:2.0:User";

/**
 * SCIM Import's custom User attributes: what Okta's profile editor or Entra ID's attribute list
 * sends under an extension schema. Declared ones are typed, listed by /Schemas and /ResourceTypes,
 * and enforced; undeclared ones are kept as text, or refused.
 */
export function UserExtensionsSettings() {
  const tenant = useTenant();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queryKey = trpc.scimImport.userExtensions.queryKey({ tenantSlug: tenant.slug });
  const settings = useQuery(trpc.scimImport.userExtensions.queryOptions({ tenantSlug: tenant.slug }));
  const declare = useMutation(trpc.scimImport.declareUserExtensionAttribute.mutationOptions());
  const remove = useMutation(trpc.scimImport.removeUserExtensionAttribute.mutationOptions());
  const setPolicy = useMutation(trpc.scimImport.setUndeclaredUserExtensions.mutationOptions());
  const form = useForm<FormValues>({
    resolver: zodResolver(schema),
    defaultValues: { urn: EXAMPLE_URN, name: "", type: "string", description: "" },
  });

  const rows = (settings.data?.extensions ?? []).flatMap((extension) =>
    extension.attributes.map((attribute) => ({ urn: extension.urn, ...attribute })),
  );

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const saved = await declare.mutateAsync({
        tenantSlug: tenant.slug,
        urn: values.urn,
        attribute: { name: values.name, type: values.type, description: values.description ?? "" },
      });
      queryClient.setQueryData(queryKey, saved);
      notifications.show({ color: "green", message: `${values.name} declared.` });
      form.reset({ ...values, name: "", description: "" });
    } catch (e) {
      const message = applyServerError(form, e);
      if (message) notifications.show({ color: "red", title: "Not declared", message });
    }
  });

  const confirmRemove = (urn: string, name: string) =>
    modals.openConfirmModal({
      title: `Remove ${name}?`,
      children: (
        <Text size="sm">SCIM Import stops advertising and type-checking it. Values users already have are kept and still shown.</Text>
      ),
      labels: { confirm: "Remove", cancel: "Cancel" },
      confirmProps: { color: "red" },
      onConfirm: async () => {
        try {
          queryClient.setQueryData(queryKey, await remove.mutateAsync({ tenantSlug: tenant.slug, urn, name }));
          notifications.show({ color: "green", message: `${name} removed.` });
        } catch (e) {
          notifications.show({ color: "red", title: "Not removed", message: errorMessage(e) });
        }
      },
    });

  const changePolicy = async (undeclared: UndeclaredPolicy) => {
    try {
      queryClient.setQueryData(queryKey, await setPolicy.mutateAsync({ tenantSlug: tenant.slug, undeclared }));
      notifications.show({
        color: "green",
        message: undeclared === "accept" ? "Undeclared attributes are now kept as text." : "Undeclared attributes are now refused.",
      });
    } catch (e) {
      notifications.show({ color: "red", title: "Not saved", message: errorMessage(e) });
    }
  };

  return (
    <Card withBorder>
      <Stack>
        <div>
          <Title order={4}>Custom user attributes</Title>
          <Text size="sm" c="dimmed">
            Attributes your identity provider sends under an extension schema, e.g. <Code>{EXAMPLE_URN}:costCenter</Code>. Declared ones are
            type-checked and listed at /Schemas; they can be used in SCIM Export mappings.
          </Text>
        </div>

        {settings.isLoading ? (
          <Skeleton h={80} />
        ) : rows.length === 0 ? (
          <Text size="sm" c="dimmed" ta="center" py="md">
            No attributes declared yet.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table striped highlightOnHover aria-label="Declared custom attributes">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Attribute</Table.Th>
                  <Table.Th>Type</Table.Th>
                  <Table.Th>Schema</Table.Th>
                  <Table.Th>Description</Table.Th>
                  {tenant.canWrite && <Table.Th w={50} />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row) => (
                  <Table.Tr key={`${row.urn}:${row.name}`}>
                    <Table.Td fw={500}>{row.name}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color="gray">
                        {row.type}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" ff="monospace" style={{ wordBreak: "break-all" }}>
                        {row.urn}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{row.description || "—"}</Text>
                    </Table.Td>
                    {tenant.canWrite && (
                      <Table.Td>
                        <Tooltip label="Remove" withArrow>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={`Remove ${row.name}`}
                            onClick={() => confirmRemove(row.urn, row.name)}
                          >
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}

        {tenant.canWrite && (
          <form onSubmit={onSubmit} noValidate aria-label="Declare a custom attribute">
            <Stack gap="xs">
              <Text fw={500} size="sm">
                Declare an attribute
              </Text>
              <TextInput label="Extension schema URN" {...form.register("urn")} error={form.formState.errors.urn?.message} />
              <Group grow align="flex-start">
                <TextInput
                  label="Attribute name"
                  placeholder="costCenter"
                  {...form.register("name")}
                  error={form.formState.errors.name?.message}
                />
                <Controller
                  control={form.control}
                  name="type"
                  render={({ field, fieldState }) => (
                    <Select
                      label="Type"
                      data={EXTENSION_ATTRIBUTE_TYPES.map((type) => ({ value: type, label: TYPE_LABELS[type] }))}
                      value={field.value}
                      onChange={(value) => field.onChange(value ?? "string")}
                      allowDeselect={false}
                      error={fieldState.error?.message}
                    />
                  )}
                />
              </Group>
              <TextInput
                label="Description"
                placeholder="Optional"
                {...form.register("description")}
                error={form.formState.errors.description?.message}
              />
              <Group justify="flex-end">
                <Button type="submit" leftSection={<IconPlus size={16} />} loading={form.formState.isSubmitting}>
                  Declare attribute
                </Button>
              </Group>
            </Stack>
          </form>
        )}

        <Stack gap={4}>
          <Text fw={500} size="sm">
            Attributes nobody declared
          </Text>
          {settings.data ? (
            <SegmentedControl
              w="fit-content"
              disabled={!tenant.canWrite || setPolicy.isPending}
              value={settings.data.undeclared}
              onChange={(value) => void changePolicy(value as UndeclaredPolicy)}
              data={[
                { value: "accept", label: "Keep as text" },
                { value: "refuse", label: "Refuse (400)" },
              ]}
              aria-label="Attributes nobody declared"
            />
          ) : (
            <Skeleton h={36} w={240} />
          )}
          <Text size="xs" c="dimmed">
            Keeping them means provisioning never stops when an admin maps a new attribute; refusing makes the identity provider report the
            request as failed until you declare it here.
          </Text>
        </Stack>
      </Stack>
    </Card>
  );
}
