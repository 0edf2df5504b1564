"use client";
import { Alert, Button, Card, Group, Stack, Table, Tabs, Text, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { modals } from "@mantine/modals";
import { notifications } from "@mantine/notifications";
import { IconAlertCircle, IconPlus } from "@tabler/icons-react";
import { zodResolver } from "@hookform/resolvers/zod";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useFieldArray, useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import { useTenant } from "@/components/shell/tenant-context";
import { errorMessage } from "@/lib/server-errors";
import { useTRPC, type RouterOutputs } from "@/lib/trpc";
import { checkExpression, zGroupMapping, zUserMapping, type MappingRow } from "@/lib/validation/scim-export";
import { MappingPreview } from "./mapping-preview";
import { MappingRowEditor, type MappingSideValues } from "./mapping-row-editor";
import { useProfileId } from "./use-profile";

type Mapping = RouterOutputs["scimExport"]["mapping"];

/** Steps 6–8: User Mapping and Group Mapping, each saved on its own. */
export function MappingTab() {
  const tenant = useTenant();
  const trpc = useTRPC();
  const profileId = useProfileId();
  const mapping = useQuery(trpc.scimExport.mapping.queryOptions({ tenantSlug: tenant.slug, profileId }));
  const [side, setSide] = useState<"user" | "group">("user");
  if (mapping.isError) return <Alert color="red">{errorMessage(mapping.error)}</Alert>;
  if (!mapping.data) return null;
  return (
    <Tabs value={side} onChange={(v) => setSide(v === "group" ? "group" : "user")} variant="pills">
      <Tabs.List mb="md" aria-label="Mapping">
        <Tabs.Tab value="user">User Mapping</Tabs.Tab>
        <Tabs.Tab value="group">Group Mapping</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="user">
        <MappingSide object="user" mapping={mapping.data} />
      </Tabs.Panel>
      <Tabs.Panel value="group">
        <MappingSide object="group" mapping={mapping.data} />
      </Tabs.Panel>
    </Tabs>
  );
}

const zRowsSchema = (object: "user" | "group") => (object === "user" ? zUserMapping : zGroupMapping);

const blankRow: MappingRow = { target: "", kind: "attribute", value: "", apply: "always", defaultValue: "" };

function MappingSide({ object, mapping }: { object: "user" | "group"; mapping: Mapping }) {
  const tenant = useTenant();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const profileId = useProfileId();
  const schema = z.object({ rows: zRowsSchema(object) });
  const form = useForm<MappingSideValues>({
    resolver: zodResolver(schema),
    defaultValues: { rows: object === "user" ? mapping.user : mapping.group },
  });
  const rows = useFieldArray({ control: form.control, name: "rows" });
  const watched = useWatch({ control: form.control, name: "rows" });
  const [subjectId, setSubjectId] = useState<string | null>(null);
  const [debounced] = useDebouncedValue(JSON.stringify(watched), 400);
  const save = useMutation(trpc.scimExport.saveMapping.mutationOptions());
  const readOnly = !tenant.canWrite;

  const debouncedRows = JSON.parse(debounced) as MappingRow[];
  // The preview renders the unsaved rows for the chosen user (only rows the schema accepts can be sent).
  const rowsValid = zRowsSchema(object).safeParse(debouncedRows).success;
  const preview = useQuery({
    ...trpc.scimExport.previewMapping.queryOptions({ tenantSlug: tenant.slug, profileId, userId: subjectId ?? "", rows: debouncedRows }),
    placeholderData: keepPreviousData,
    enabled: object === "user" && Boolean(subjectId) && rowsValid,
  });
  // Expressions are parsed and type-checked here, as they are typed (the same checker the server runs on save).
  const problemOf = (index: number): string | undefined => {
    const row = watched[index];
    if (row?.kind === "expression" && row.value.trim()) {
      const check = checkExpression(row.value, object);
      if (!check.ok) return `${check.message} (at character ${check.position + 1})`;
    }
    return preview.data?.problems.find((p) => p.index === index)?.message;
  };

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await save.mutateAsync({ tenantSlug: tenant.slug, profileId, [object]: values.rows });
      notifications.show({ color: "green", message: `${object === "user" ? "User" : "Group"} mapping saved. The next sync uses it.` });
      form.reset(values);
      await queryClient.invalidateQueries({ queryKey: trpc.scimExport.mapping.queryKey() });
    } catch (e) {
      // The server names the row as "<user|group>.<index>.<field>"; the form calls the list "rows".
      const field = (e as { data?: { field?: string | null } }).data?.field;
      const match = field?.match(/^(?:user|group)\.(\d+)\.(target|value|defaultValue)$/);
      if (match) form.setError(`rows.${Number(match[1])}.${match[2] as "target" | "value" | "defaultValue"}`, { message: errorMessage(e) });
      else notifications.show({ color: "red", title: "Mapping not saved", message: errorMessage(e) });
    }
  });

  const reset = useMutation(trpc.scimExport.resetMapping.mutationOptions());
  const onReset = () =>
    modals.openConfirmModal({
      title: "Reset the mapping to the defaults?",
      children: (
        <Text size="sm">
          Both the user and the group mapping go back to this application type&apos;s defaults. Unsaved changes are lost.
        </Text>
      ),
      labels: { confirm: "Reset", cancel: "Cancel" },
      onConfirm: async () => {
        try {
          await reset.mutateAsync({ tenantSlug: tenant.slug, profileId });
          const fresh = await queryClient.fetchQuery({
            ...trpc.scimExport.mapping.queryOptions({ tenantSlug: tenant.slug, profileId }),
            staleTime: 0,
          });
          form.reset({ rows: object === "user" ? fresh.user : fresh.group });
          notifications.show({ color: "green", message: "Mapping reset to the defaults." });
        } catch (e) {
          notifications.show({ color: "red", title: "Mapping not reset", message: errorMessage(e) });
        }
      },
    });

  const rootError = form.formState.errors.rows?.root?.message ?? form.formState.errors.rows?.message;
  const targets = object === "user" ? mapping.userTargetAttributes : mapping.groupTargetAttributes;
  const sources = object === "user" ? mapping.userSourceAttributes : mapping.groupSourceAttributes;

  return (
    <Stack>
      <Card withBorder component="form" onSubmit={onSubmit} noValidate aria-label={object === "user" ? "User Mapping" : "Group Mapping"}>
        <Stack>
          <div>
            <Title order={4}>{object === "user" ? "User Mapping" : "Group Mapping"}</Title>
            <Text size="sm" c="dimmed">
              Each row sets one SCIM attribute of the {object} in the target from a directory attribute, a constant or an expression.
              {object === "user" ? " userName is required." : " displayName is required."}
            </Text>
          </div>
          {rootError && (
            <Alert color="red" icon={<IconAlertCircle size={18} />}>
              {rootError}
            </Alert>
          )}
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="xs" aria-label={`${object === "user" ? "User" : "Group"} mapping rows`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Target attribute</Table.Th>
                  <Table.Th>Source</Table.Th>
                  <Table.Th>Value</Table.Th>
                  <Table.Th>Apply</Table.Th>
                  <Table.Th>Default when empty</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.fields.map((field, index) => (
                  <MappingRowEditor
                    key={field.id}
                    index={index}
                    control={form.control}
                    errors={form.formState.errors}
                    problem={problemOf(index)}
                    kind={watched[index]?.kind ?? field.kind}
                    sourceAttributes={sources}
                    targetAttributes={targets}
                    readOnly={readOnly}
                    onRemove={() => rows.remove(index)}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {!readOnly && (
            <Group justify="space-between">
              <Button variant="subtle" leftSection={<IconPlus size={16} />} onClick={() => rows.append({ ...blankRow })}>
                Add row
              </Button>
              <Group gap="sm">
                <Button variant="default" onClick={onReset}>
                  Reset to defaults
                </Button>
                <Button type="submit" loading={form.formState.isSubmitting}>
                  Save
                </Button>
              </Group>
            </Group>
          )}
          <ExpressionHelp functions={mapping.functions} />
        </Stack>
      </Card>
      {object === "user" ? (
        <MappingPreview
          subjectId={subjectId}
          onSubjectChange={setSubjectId}
          preview={subjectId ? preview.data : undefined}
          loading={preview.isFetching}
          invalid={!rowsValid}
        />
      ) : (
        <GroupMappingNote />
      )}
    </Stack>
  );
}

function GroupMappingNote() {
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={5}>How groups are sent</Title>
        <Text size="sm">
          Each assigned group is created in the target with these attributes; its members are then added and removed in small batches (at
          most 100 per request), never by replacing the whole member list.
        </Text>
      </Stack>
    </Card>
  );
}

function ExpressionHelp({ functions }: { functions: { name: string; help: string }[] }) {
  return (
    <details>
      <summary>
        <Text span size="sm" fw={600}>
          Expression functions
        </Text>
      </summary>
      <Text size="xs" c="dimmed" mt={4}>
        Attributes are written [name]; strings in double quotes.
      </Text>
      <Table mt="xs" withRowBorders={false} verticalSpacing={2}>
        <Table.Tbody>
          {functions.map((f) => (
            <Table.Tr key={f.name}>
              <Table.Td w={110}>
                <Text size="xs" ff="monospace">
                  {f.name}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{f.help}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </details>
  );
}
