"use client";
import { Badge, Code, Drawer, Select, Stack, Table, Text, TextInput } from "@mantine/core";
import { IconHistory, IconSearchOff } from "@tabler/icons-react";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { SearchInput } from "@/components/data-table/search-input";
import { useTableState } from "@/components/data-table/use-table-state";
import { CsvDownloadButton, csvHref } from "@/components/ui/csv-download-button";
import { EmptyState } from "@/components/ui/empty-state";
import { AUDIT_ACTIONS, type AuditAction } from "@/lib/audit-actions";
import { formatTimestamp } from "@/lib/format-date";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { useTenant } from "../shell/tenant-context";

type AuditRow = RouterOutputs["audit"]["list"]["items"][number];

const RANGES: { value: string; label: string; ms: number | null }[] = [
  { value: "24h", label: "Last 24 hours", ms: 86_400_000 },
  { value: "7d", label: "Last 7 days", ms: 7 * 86_400_000 },
  { value: "30d", label: "Last 30 days", ms: 30 * 86_400_000 },
  { value: "90d", label: "Last 90 days", ms: 90 * 86_400_000 },
  { value: "all", label: "All time", ms: null },
];

const ACTION_OPTIONS = Object.entries(AUDIT_ACTIONS).map(([value, label]) => ({ value, label }));

function actionLabel(action: string): string {
  return AUDIT_ACTIONS[action as AuditAction] ?? action;
}

/** A value as a person reads it: text, a list, or (for nested settings such as a mapping) formatted JSON. */
function Value({ value }: { value: unknown }) {
  if (value === undefined || value === null || value === "")
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  if (Array.isArray(value) && value.every((v) => typeof v !== "object"))
    return <Text size="sm">{value.length ? value.join(", ") : "none"}</Text>;
  if (typeof value === "object")
    return (
      <Code block style={{ maxHeight: 240, overflow: "auto" }}>
        {JSON.stringify(value, null, 2)}
      </Code>
    );
  return <Text size="sm">{String(value)}</Text>;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The entry's values, one row per field: before and after side by side. */
function AuditDetail({ entry, onClose }: { entry: AuditRow | null; onClose: () => void }) {
  const before = asRecord(entry?.before);
  const after = asRecord(entry?.after);
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return (
    <Drawer opened={entry !== null} onClose={onClose} position="right" size="lg" title={entry ? actionLabel(entry.action) : ""}>
      {entry && (
        <Stack gap="md">
          <Table variant="vertical" withTableBorder>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w={140}>Time</Table.Th>
                <Table.Td>{formatTimestamp(entry.at)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Who</Table.Th>
                <Table.Td>{entry.actorLabel}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Object</Table.Th>
                <Table.Td>
                  {entry.targetType.replace(/_/g, " ")} {entry.targetName ?? entry.targetId ?? ""}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Client address</Table.Th>
                <Table.Td>{entry.clientAddress ?? "—"}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          {fields.length > 0 ? (
            <Table aria-label="Changed values" withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Field</Table.Th>
                  <Table.Th>Before</Table.Th>
                  <Table.Th>After</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {fields.map((field) => (
                  <Table.Tr key={field}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {field}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Value value={before[field]} />
                    </Table.Td>
                    <Table.Td>
                      <Value value={after[field]} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : (
            <Text size="sm" c="dimmed">
              No values recorded for this change.
            </Text>
          )}
          <Text size="xs" c="dimmed">
            Secrets (tokens, passwords, client secrets) are never recorded: they show as [redacted].
          </Text>
        </Stack>
      )}
    </Drawer>
  );
}

/** Events / Logs → Audit log: every change made in the console or the CLI, newest first. */
export function AuditLog() {
  const tenant = useTenant();
  const trpc = useTRPC();
  const state = useTableState<"at">({ sort: { field: "at", direction: "desc" } });
  const [actor, setActor] = useState("");
  const [debouncedActor] = useDebouncedValue(actor.trim(), 300);
  const [action, setAction] = useState<AuditAction | null>(null);
  const [range, setRange] = useState("all");
  // Fixed when the range is chosen, so paging does not shift under the reader.
  const [from, setFrom] = useState<Date | undefined>(undefined);
  const [selected, setSelected] = useState<AuditRow | null>(null);

  const entries = useQuery(
    trpc.audit.list.queryOptions({
      tenantSlug: tenant.slug,
      actor: debouncedActor || undefined,
      action: action ?? undefined,
      object: state.debouncedSearch || undefined,
      from,
      page: state.page,
      pageSize: state.pageSize,
    }),
  );

  const columns = useMemo<ColumnDef<AuditRow>[]>(
    () => [
      { id: "at", header: "Time", cell: ({ row }) => <Text size="sm">{formatTimestamp(row.original.at)}</Text>, meta: { width: 200 } },
      { id: "actor", header: "Who", cell: ({ row }) => <Text size="sm">{row.original.actorLabel}</Text> },
      {
        id: "action",
        header: "What",
        cell: ({ row }) => (
          <Text size="sm" fw={500}>
            {actionLabel(row.original.action)}
          </Text>
        ),
      },
      {
        id: "object",
        header: "Object",
        cell: ({ row }) => (
          <Stack gap={2}>
            <Badge variant="outline" color="gray" size="sm">
              {row.original.targetType.replace(/_/g, " ")}
            </Badge>
            <Text size="sm">{row.original.targetName ?? row.original.targetId ?? "—"}</Text>
          </Stack>
        ),
      },
      {
        id: "client",
        header: "Client address",
        cell: ({ row }) => (
          <Text size="sm" c="dimmed">
            {row.original.clientAddress ?? "—"}
          </Text>
        ),
        meta: { width: 150 },
      },
    ],
    [],
  );

  const filtered = Boolean(debouncedActor || action || range !== "all" || state.debouncedSearch);
  return (
    <>
      <DataTable
        label="Audit log"
        noun="entries"
        columns={columns}
        rows={entries.data?.items}
        total={entries.data?.total}
        loading={entries.isLoading}
        state={state}
        getRowId={(row) => row.id}
        onRowClick={setSelected}
        filtered={filtered}
        search={{
          placeholder: "Search object",
          label: "Search object",
          input: <SearchInput value={state.search} onChange={state.setSearch} placeholder="Search object" label="Search object" />,
        }}
        toolbar={
          <>
            <TextInput
              aria-label="Who"
              placeholder="Who (email or operator CLI)"
              value={actor}
              onChange={(e) => {
                setActor(e.currentTarget.value);
                state.setPage(1);
              }}
              w={220}
            />
            <Select
              aria-label="Action"
              placeholder="All actions"
              data={ACTION_OPTIONS}
              value={action}
              onChange={(v) => {
                setAction(v as AuditAction | null);
                state.setPage(1);
              }}
              clearable
              searchable
              w={240}
            />
            <Select
              aria-label="Time range"
              data={RANGES.map(({ value, label }) => ({ value, label }))}
              value={range}
              onChange={(v) => {
                const ms = RANGES.find((r) => r.value === v)?.ms;
                setRange(v ?? "all");
                setFrom(ms ? new Date(Date.now() - ms) : undefined);
                state.setPage(1);
              }}
              w={160}
              allowDeselect={false}
            />
            <CsvDownloadButton
              href={csvHref(tenant.slug, "audit", { actor: debouncedActor, action, object: state.debouncedSearch, from })}
            />
          </>
        }
        emptyState={
          <EmptyState icon={IconHistory} title="No changes recorded yet">
            Every change made in the console or with the CLI is listed here: who, what, and the values before and after.
          </EmptyState>
        }
        noMatchState={
          <EmptyState icon={IconSearchOff} title="No matching entries">
            No entry matches these filters.
          </EmptyState>
        }
      />
      <AuditDetail entry={selected} onClose={() => setSelected(null)} />
    </>
  );
}
