"use client";
import { Badge, Card, Group, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconArrowRight, IconSearch, IconUser, IconUsersGroup } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTenant } from "@/components/shell/tenant-context";
import { CsvDownloadButton, csvHref } from "@/components/ui/csv-download-button";
import { errorMessage } from "@/lib/server-errors";
import { useTRPC, type RouterOutputs } from "@/lib/trpc";
import { EXPORT_OPERATION_ACTIONS, EXPORT_OPERATION_RESULTS } from "@/lib/validation/scim-export";
import { DataTablePagination } from "@/components/data-table/data-table-pagination";
import { formatTimestamp } from "@/lib/format-date";
import { formatValue } from "./format";
import { noOperationsText, operationLabel, resultLabel } from "./labels";

type Operation = RouterOutputs["scimExport"]["operations"]["items"][number];
type Action = (typeof EXPORT_OPERATION_ACTIONS)[number];
type Result = (typeof EXPORT_OPERATION_RESULTS)[number];

const actionOptions = EXPORT_OPERATION_ACTIONS.map((value) => ({
  value,
  label: (value.charAt(0).toUpperCase() + value.slice(1)).replace(/_/g, " "),
}));

/** Step 17: what a run did, per user and group: created, updated (old → new), deactivated, skipped (why), errors. */
export function OperationsTable({
  profileId,
  runId,
  live,
  runStatus,
}: {
  profileId: string;
  runId: string;
  live: boolean;
  runStatus: string;
}) {
  const tenant = useTenant();
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [objectType, setObjectType] = useState<"USER" | "GROUP" | null>(null);
  const [action, setAction] = useState<Action | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [search, setSearch] = useState("");
  const [debouncedSearch] = useDebouncedValue(search.trim(), 300);
  const operations = useQuery({
    ...trpc.scimExport.operations.queryOptions({
      tenantSlug: tenant.slug,
      profileId,
      runId,
      objectType: objectType ?? undefined,
      action: action ?? undefined,
      result: result ?? undefined,
      search: debouncedSearch || undefined,
      page,
      pageSize,
    }),
    placeholderData: keepPreviousData,
    refetchInterval: live ? 2000 : false,
  });
  const filter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(1);
    };

  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={4}>Operations</Title>
        <Group gap="sm" align="flex-end">
          <TextInput
            aria-label="Search operations"
            placeholder="Search by userName or group"
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => filter(setSearch)(e.currentTarget.value)}
            w={{ base: "100%", sm: 280 }}
          />
          <Select
            aria-label="Object type"
            placeholder="Users and groups"
            data={[
              { value: "USER", label: "Users" },
              { value: "GROUP", label: "Groups" },
            ]}
            value={objectType}
            onChange={(v) => filter(setObjectType)(v as "USER" | "GROUP" | null)}
            clearable
            w={170}
          />
          <Select
            aria-label="Action"
            placeholder="Any action"
            data={actionOptions}
            value={action}
            onChange={(v) => filter(setAction)(v as Action | null)}
            clearable
            w={190}
          />
          <Select
            aria-label="Result"
            placeholder="Any result"
            data={EXPORT_OPERATION_RESULTS.map((value) => ({ value, label: resultLabel(value).label }))}
            value={result}
            onChange={(v) => filter(setResult)(v as Result | null)}
            clearable
            w={150}
          />
          <CsvDownloadButton
            href={csvHref(tenant.slug, "operations", { profileId, runId, objectType, action, result, search: debouncedSearch })}
          />
        </Group>
        {operations.isError && (
          <Text c="red" size="sm">
            {errorMessage(operations.error)}
          </Text>
        )}
        <Table.ScrollContainer minWidth={860}>
          <Table aria-label="Operations" verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th style={{ width: 180 }}>Time</Table.Th>
                <Table.Th style={{ minWidth: 220 }}>User or group</Table.Th>
                <Table.Th style={{ minWidth: 160 }}>Action</Table.Th>
                <Table.Th style={{ minWidth: 110 }}>Result</Table.Th>
                <Table.Th style={{ minWidth: 280 }}>Details</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {operations.data?.items.map((op) => (
                <OperationRow key={op.id} op={op} />
              ))}
              {operations.data && operations.data.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text size="sm" c="dimmed" ta="center" py="md">
                      {action || result || objectType || debouncedSearch
                        ? "No operation matches these filters."
                        : noOperationsText(runStatus)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <DataTablePagination
          page={page}
          pageSize={pageSize}
          total={operations.data?.total ?? 0}
          onPageChange={setPage}
          onPageSizeChange={(size) => {
            setPageSize(size);
            setPage(1);
          }}
          noun="operations"
        />
      </Stack>
    </Card>
  );
}

function OperationRow({ op }: { op: Operation }) {
  const action = operationLabel(op.objectType, op.action);
  const result = resultLabel(op.result);
  const Icon = op.objectType === "GROUP" ? IconUsersGroup : IconUser;
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="xs">{formatTimestamp(op.at)}</Text>
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Icon size={16} aria-label={op.objectType === "GROUP" ? "Group" : "User"} />
          <Text size="sm">{op.name}</Text>
        </Group>
        {op.remoteId && (
          <Text size="xs" c="dimmed">
            Remote id {op.remoteId}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Badge color={action.color} variant="light" tt="none" style={{ whiteSpace: "nowrap", overflow: "visible" }}>
          {action.label}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Badge color={result.color} variant="dot" tt="none" style={{ overflow: "visible" }}>
          {result.label}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Stack gap={4}>
          {op.changes && <ChangeLines changes={op.changes} />}
          {op.reason && (
            <Text size="sm" c={op.result === "ERROR" ? "red" : undefined} style={{ overflowWrap: "anywhere" }}>
              {op.httpStatus ? <b>HTTP {op.httpStatus}: </b> : null}
              {op.reason}
            </Text>
          )}
          {!op.reason && op.httpStatus && op.result === "ERROR" && (
            <Text size="sm" c="red">
              HTTP {op.httpStatus}
            </Text>
          )}
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

/** An operation's attribute changes, one line each: attribute, old value (struck through) → new value. */
export function ChangeLines({ changes }: { changes: { attribute: string; old: unknown; new: unknown }[] }) {
  if (changes.length === 0) return null;
  return (
    <Stack gap={2}>
      {changes.map((c) => (
        <Text key={c.attribute} size="xs" style={{ overflowWrap: "anywhere" }}>
          <Text span size="xs" fw={600} ff="monospace">
            {c.attribute}
          </Text>{" "}
          <Text span size="xs" c="dimmed" td="line-through">
            {formatValue(c.old)}
          </Text>{" "}
          <IconArrowRight size={12} style={{ verticalAlign: "middle" }} aria-label="becomes" />{" "}
          <Text span size="xs">
            {formatValue(c.new)}
          </Text>
        </Text>
      ))}
    </Stack>
  );
}
