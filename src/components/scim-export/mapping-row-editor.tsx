"use client";
import { ActionIcon, Autocomplete, Select, Table, TextInput, Tooltip } from "@mantine/core";
import { IconTrash } from "@tabler/icons-react";
import { Controller, type Control, type FieldErrors } from "react-hook-form";
import { MAPPING_APPLY, MAPPING_KINDS, mappingApplyLabels, mappingKindLabels, type MappingRow } from "@/lib/validation/scim-export";

export type MappingSideValues = { rows: MappingRow[] };

type Props = {
  index: number;
  control: Control<MappingSideValues>;
  errors: FieldErrors<MappingSideValues>;
  /** A problem the server found in this row's value (unknown attribute, expression error). */
  problem: string | undefined;
  kind: MappingRow["kind"];
  sourceAttributes: readonly string[];
  targetAttributes: readonly string[];
  readOnly: boolean;
  onRemove: () => void;
};

/** One mapping row: target SCIM attribute ← directory attribute | constant | expression, when, default. */
export function MappingRowEditor({ index, control, errors, problem, kind, sourceAttributes, targetAttributes, readOnly, onRemove }: Props) {
  const rowErrors = errors.rows?.[index];
  const n = index + 1;
  return (
    <Table.Tr>
      <Table.Td miw={190}>
        <Controller
          control={control}
          name={`rows.${index}.target`}
          render={({ field }) => (
            <Autocomplete
              aria-label={`Target attribute, row ${n}`}
              data={[...targetAttributes]}
              value={field.value}
              onChange={field.onChange}
              readOnly={readOnly}
              error={rowErrors?.target?.message}
            />
          )}
        />
      </Table.Td>
      <Table.Td w={170}>
        <Controller
          control={control}
          name={`rows.${index}.kind`}
          render={({ field }) => (
            <Select
              aria-label={`Source type, row ${n}`}
              data={MAPPING_KINDS.map((value) => ({ value, label: mappingKindLabels[value] }))}
              value={field.value}
              onChange={(v) => v && field.onChange(v)}
              allowDeselect={false}
              readOnly={readOnly}
            />
          )}
        />
      </Table.Td>
      <Table.Td miw={260}>
        <Controller
          control={control}
          name={`rows.${index}.value`}
          render={({ field }) =>
            kind === "attribute" ? (
              <Select
                aria-label={`Source attribute, row ${n}`}
                data={[...sourceAttributes]}
                value={field.value || null}
                onChange={(v) => field.onChange(v ?? "")}
                searchable
                readOnly={readOnly}
                error={rowErrors?.value?.message ?? problem}
              />
            ) : (
              <TextInput
                aria-label={kind === "expression" ? `Expression, row ${n}` : `Constant, row ${n}`}
                placeholder={kind === "expression" ? 'Join(" ", [givenName], [familyName])' : "Value sent as is"}
                value={field.value}
                onChange={field.onChange}
                onBlur={field.onBlur}
                ff={kind === "expression" ? "monospace" : undefined}
                readOnly={readOnly}
                error={rowErrors?.value?.message ?? problem}
              />
            )
          }
        />
      </Table.Td>
      <Table.Td w={160}>
        <Controller
          control={control}
          name={`rows.${index}.apply`}
          render={({ field }) => (
            <Select
              aria-label={`Apply, row ${n}`}
              data={MAPPING_APPLY.map((value) => ({ value, label: mappingApplyLabels[value] }))}
              value={field.value}
              onChange={(v) => v && field.onChange(v)}
              allowDeselect={false}
              readOnly={readOnly}
            />
          )}
        />
      </Table.Td>
      <Table.Td w={160}>
        <Controller
          control={control}
          name={`rows.${index}.defaultValue`}
          render={({ field }) => (
            <TextInput
              aria-label={`Default when empty, row ${n}`}
              placeholder="None"
              value={field.value}
              onChange={field.onChange}
              readOnly={readOnly}
              error={rowErrors?.defaultValue?.message}
            />
          )}
        />
      </Table.Td>
      <Table.Td w={48}>
        {!readOnly && (
          <Tooltip label="Remove this row">
            <ActionIcon variant="subtle" color="red" aria-label={`Remove row ${n}`} onClick={onRemove}>
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
