"use client";
import { Badge, Code, Drawer, Group, ScrollArea, SegmentedControl, Select, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { IconListDetails, IconSearchOff } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { SearchInput } from "@/components/data-table/search-input";
import { useTableState } from "@/components/data-table/use-table-state";
import { CsvDownloadButton, csvHref } from "@/components/ui/csv-download-button";
import { EmptyState } from "@/components/ui/empty-state";
import { describeScimRequest, scimErrorDetail, scimRequestSentence } from "@/lib/describe-scim-request";
import { formatTimestamp } from "@/lib/format-date";
import { PROVISIONING_OPERATIONS } from "@/lib/provisioning-operations";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { useTenant } from "../shell/tenant-context";

type EventRow = RouterOutputs["scimImport"]["events"]["items"][number];

const RANGES: { value: string; label: string; ms: number | null }[] = [
  { value: "1h", label: "Last hour", ms: 3_600_000 },
  { value: "24h", label: "Last 24 hours", ms: 86_400_000 },
  { value: "7d", label: "Last 7 days", ms: 7 * 86_400_000 },
  { value: "30d", label: "Last 30 days", ms: 30 * 86_400_000 },
  { value: "all", label: "All time", ms: null },
];

function StatusBadge({ status }: { status: number }) {
  const color = status >= 500 ? "red" : status >= 400 ? "orange" : "green";
  return (
    <Badge color={color} variant="light">
      {status} {status >= 400 ? "failed" : "ok"}
    </Badge>
  );
}

/** The request/response payloads: these are protocol documents, so they are shown as formatted JSON. */
function Payload({ label, body }: { label: string; body: unknown }) {
  return (
    <Stack gap={4}>
      <Text fw={600} size="sm">
        {label}
      </Text>
      {body === null || body === undefined ? (
        <Text size="sm" c="dimmed">
          No body
        </Text>
      ) : (
        <ScrollArea.Autosize mah={360}>
          <Code block aria-label={label}>
            {JSON.stringify(body, null, 2)}
          </Code>
        </ScrollArea.Autosize>
      )}
    </Stack>
  );
}

function resourceLabel(type: string | null | undefined, name: string | null | undefined): string {
  if (name) return `${type ?? ""} ${name}`.trim();
  return type ?? "—";
}

function EventDetail({ eventId, onClose }: { eventId: string | null; onClose: () => void }) {
  const tenant = useTenant();
  const trpc = useTRPC();
  const event = useQuery({
    ...trpc.scimImport.event.queryOptions({ tenantSlug: tenant.slug, eventId: eventId ?? "0" }),
    enabled: eventId !== null,
  });
  const data = event.data;
  const failure = data && data.status >= 400 ? describeScimRequest(data) : null;
  const rows: [string, React.ReactNode][] = data
    ? [
        ["Time", formatTimestamp(data.at)],
        ["Operation", failure ? `${scimRequestSentence(failure)} (failed)` : data.operation],
        ["Result", <StatusBadge key="s" status={data.status} />],
        ["Resource", resourceLabel(data.resourceType ?? failure?.resourceType, data.resourceName ?? failure?.subject)],
        ["Resource id", data.resourceId ?? "—"],
        ["Request", <Code key="r">{`${data.method} ${data.path}`}</Code>],
        ["Duration", `${data.durationMs} ms`],
        ["Client", data.userAgent ?? "Not sent"],
      ]
    : [];
  const detail = data ? scimErrorDetail(data.responseBody) : null;
  return (
    <Drawer opened={eventId !== null} onClose={onClose} position="right" size="xl" title={<Title order={4}>Provisioning event</Title>}>
      {event.isLoading || !data ? (
        <Skeleton h={300} />
      ) : (
        <Stack>
          {detail && (
            <Text size="sm" c="red">
              {detail}
            </Text>
          )}
          <Table variant="vertical" withTableBorder aria-label="Event summary">
            <Table.Tbody>
              {rows.map(([label, value]) => (
                <Table.Tr key={label}>
                  <Table.Th w={140}>{label}</Table.Th>
                  <Table.Td>{value}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Payload label="Request body" body={data.requestBody} />
          <Payload label="Response body" body={data.responseBody} />
        </Stack>
      )}
    </Drawer>
  );
}

export function ProvisioningEvents() {
  const tenant = useTenant();
  const trpc = useTRPC();
  const state = useTableState<"at">({ sort: { field: "at", direction: "desc" } });
  const [operation, setOperation] = useState<string | null>(null);
  const [result, setResult] = useState<"all" | "success" | "failure">("all");
  const [range, setRange] = useState("all");
  const [selected, setSelected] = useState<string | null>(null);
  // The range's lower bound is fixed when the range is chosen, so paging does not shift under the reader.
  const from = useMemo(() => {
    const ms = RANGES.find((r) => r.value === range)?.ms;
    return ms ? new Date(Date.now() - ms) : undefined;
  }, [range]);

  const events = useQuery(
    trpc.scimImport.events.queryOptions({
      tenantSlug: tenant.slug,
      operation: operation ?? undefined,
      result: result === "all" ? undefined : result,
      search: state.debouncedSearch || undefined,
      from,
      offset: (state.page - 1) * state.pageSize,
      limit: state.pageSize,
    }),
  );

  const columns = useMemo<ColumnDef<EventRow>[]>(
    () => [
      { id: "at", header: "Time", cell: ({ row }) => <Text size="sm">{formatTimestamp(row.original.at)}</Text>, meta: { width: 200 } },
      {
        id: "operation",
        header: "Operation",
        cell: ({ row }) => {
          const failure = row.original.failure;
          if (!failure)
            return (
              <Text size="sm" fw={500}>
                {row.original.operation}
              </Text>
            );
          return (
            <Stack gap={2}>
              <Text size="sm" fw={500}>
                {failure.action}
              </Text>
              {failure.detail && (
                <Text size="xs" c="dimmed" style={{ overflowWrap: "anywhere" }}>
                  {failure.detail}
                </Text>
              )}
            </Stack>
          );
        },
      },
      {
        id: "resource",
        header: "User or group",
        cell: ({ row }) => {
          const { failure } = row.original;
          const name = row.original.resourceName ?? failure?.subject;
          const type = row.original.resourceType ?? failure?.resourceType;
          return name ? (
            <Group gap={6} wrap="nowrap">
              {type && (
                <Badge variant="outline" color="gray" size="sm" style={{ flexShrink: 0 }}>
                  {type}
                </Badge>
              )}
              <Text size="sm" style={{ overflowWrap: "anywhere" }}>
                {name}
              </Text>
            </Group>
          ) : (
            <Text size="sm" c="dimmed">
              —
            </Text>
          );
        },
      },
      { id: "status", header: "Result", cell: ({ row }) => <StatusBadge status={row.original.status} />, meta: { width: 120 } },
      { id: "duration", header: "Duration", cell: ({ row }) => <Text size="sm">{row.original.durationMs} ms</Text>, meta: { width: 100 } },
      // Wrapped, not clamped to one line: at 1440 px a clamped user agent read "Okta SCI…".
      {
        id: "client",
        header: "Client",
        cell: ({ row }) => (
          <Text size="sm" c="dimmed">
            {row.original.userAgent ?? "—"}
          </Text>
        ),
        meta: { width: 160 },
      },
    ],
    [],
  );

  const filtered = Boolean(operation || result !== "all" || range !== "all" || state.debouncedSearch);
  const resetPage =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      state.setPage(1);
    };

  return (
    <>
      <DataTable
        label="Provisioning events"
        noun="events"
        columns={columns}
        rows={events.data?.items}
        total={events.data?.total}
        loading={events.isLoading}
        state={state}
        getRowId={(row) => row.id}
        onRowClick={(row) => setSelected(row.id)}
        filtered={filtered}
        search={{
          placeholder: "Search user or group",
          label: "Search user or group",
          input: (
            <SearchInput value={state.search} onChange={state.setSearch} placeholder="Search user or group" label="Search user or group" />
          ),
        }}
        toolbar={
          <>
            <Select
              aria-label="Operation"
              placeholder="All operations"
              data={[...PROVISIONING_OPERATIONS]}
              value={operation}
              onChange={resetPage(setOperation)}
              clearable
              w={200}
            />
            <SegmentedControl
              aria-label="Result"
              value={result}
              onChange={resetPage((v: string) => setResult(v as typeof result))}
              data={[
                { value: "all", label: "All" },
                { value: "success", label: "Success" },
                { value: "failure", label: "Failure" },
              ]}
            />
            <Select
              aria-label="Time range"
              data={RANGES.map(({ value, label }) => ({ value, label }))}
              value={range}
              onChange={resetPage((v: string | null) => setRange(v ?? "all"))}
              w={160}
              allowDeselect={false}
            />
            <CsvDownloadButton
              href={csvHref(tenant.slug, "events", {
                operation,
                result: result === "all" ? null : result,
                search: state.debouncedSearch,
                from,
              })}
            />
          </>
        }
        emptyState={
          <EmptyState icon={IconListDetails} title="No SCIM requests yet">
            Once your identity provider connects with the SCIM token, every request it sends is listed here.
          </EmptyState>
        }
        noMatchState={
          <EmptyState icon={IconSearchOff} title="No matching events">
            No event matches these filters.
          </EmptyState>
        }
      />
      <EventDetail eventId={selected} onClose={() => setSelected(null)} />
    </>
  );
}
