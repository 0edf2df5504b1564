"use client";
import { Alert, Badge, Button, Group, Modal, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconAlertTriangle, IconEye, IconSearch, IconUser, IconUsersGroup } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { DataTablePagination } from "@/components/data-table/data-table-pagination";
import { useTenant } from "@/components/shell/tenant-context";
import { StatCard } from "@/components/ui/stat-card";
import { errorMessage } from "@/lib/server-errors";
import { useTRPC, type RouterOutputs } from "@/lib/trpc";
import { operationLabel, resultLabel, runStatusLabel } from "./labels";
import { ChangeLines } from "./operations-table";

type Preview = RouterOutputs["scimExport"]["previewSync"];
type Kind = "all" | "users" | "groups" | "members" | "problems";

const isMembers = (action: string) => action.startsWith("members_");

/**
 * Preview sync: reads the target and shows what a full sync would change there (created, updated
 * with old → new values, deactivated, deleted, memberships), writing nothing on either side.
 */
export function PreviewSyncButton({ profileId, disabled }: { profileId: string; disabled?: boolean }) {
  const tenant = useTenant();
  const trpc = useTRPC();
  const [opened, { open, close }] = useDisclosure(false);
  const preview = useMutation(trpc.scimExport.previewSync.mutationOptions());

  const start = () => {
    open();
    preview.reset();
    preview.mutate({ tenantSlug: tenant.slug, profileId });
  };

  return (
    <>
      <Button leftSection={<IconEye size={16} />} variant="default" onClick={start} disabled={disabled}>
        Preview sync
      </Button>
      <Modal opened={opened} onClose={close} title="Preview sync" size="80rem">
        {preview.isPending && (
          <Text size="sm" c="dimmed" role="status">
            Reading the target and planning a full sync… nothing is written.
          </Text>
        )}
        {preview.isError && (
          <Alert color="red" icon={<IconAlertTriangle size={16} />} title="The preview could not run">
            {errorMessage(preview.error)}
          </Alert>
        )}
        {preview.data && <PreviewResult preview={preview.data} />}
      </Modal>
    </>
  );
}

function PreviewResult({ preview }: { preview: Preview }) {
  const t = preview.totals;
  const status = runStatusLabel(preview.status);
  const overThreshold = preview.pendingDeletions > preview.deletionThreshold;
  return (
    <Stack gap="md">
      <Text size="sm">
        What <b>Sync</b> would do now (a full sync, read from the target: {preview.readRequests} reads sent, {preview.writesNotSent} writes
        not sent). Nothing was changed on the target or here.
      </Text>
      <Group gap="xs">
        <Text size="sm">Expected result:</Text>
        <Badge color={status.color} variant="light" tt="none">
          {status.label}
        </Badge>
        {preview.message && (
          <Text size="sm" c={preview.status === "FAILED" ? "red" : "dimmed"}>
            {preview.message}
          </Text>
        )}
      </Group>
      {overThreshold && (
        <Alert color="yellow" icon={<IconAlertTriangle size={16} />} title="Sync would stop for confirmation">
          {preview.pendingDeletions} users would be deactivated or deleted, more than the deletion threshold ({preview.deletionThreshold}).
          Sync stops before changing anything and asks you to confirm.
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
        <StatCard label="Users created" value={t.usersCreated} />
        <StatCard label="Users updated" value={t.usersUpdated + t.usersReactivated} />
        <StatCard label="Users deactivated" value={t.usersDeactivated} />
        <StatCard label="Deleted" value={t.usersDeleted + t.groupsDeleted} />
        <StatCard label="Groups created or renamed" value={t.groupsCreated + t.groupsUpdated} />
        <StatCard label="Memberships added / removed" value={`${t.membersAdded} / ${t.membersRemoved}`} />
      </SimpleGrid>
      {(t.errors > 0 || t.skipped > 0 || t.usersMatched > 0) && (
        <Text size="sm" c="dimmed">
          Also: {t.usersMatched} users already on the target would be linked, {t.skipped} skipped, {t.errors} would fail.
        </Text>
      )}
      <PreviewOperations preview={preview} />
    </Stack>
  );
}

function PreviewOperations({ preview }: { preview: Preview }) {
  const [kind, setKind] = useState<Kind>("all");
  const [search, setSearch] = useState("");
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(25);
  const rows = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return preview.operations.filter((op) => {
      if (needle && !op.name.toLowerCase().includes(needle)) return false;
      if (kind === "users") return op.objectType === "USER";
      if (kind === "groups") return op.objectType === "GROUP" && !isMembers(op.action);
      if (kind === "members") return isMembers(op.action);
      if (kind === "problems") return op.result !== "SUCCESS";
      return true;
    });
  }, [preview.operations, kind, search]);
  const shown = rows.slice((page - 1) * pageSize, page * pageSize);
  const reset = () => setPage(1);

  return (
    <Stack gap="sm">
      <Group gap="sm" justify="space-between">
        <SegmentedControl
          aria-label="Show"
          value={kind}
          onChange={(v) => {
            setKind(v as Kind);
            reset();
          }}
          data={[
            { value: "all", label: "All" },
            { value: "users", label: "Users" },
            { value: "groups", label: "Groups" },
            { value: "members", label: "Memberships" },
            { value: "problems", label: "Skipped and errors" },
          ]}
        />
        <TextInput
          aria-label="Search the preview"
          placeholder="Search by userName or group"
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            reset();
          }}
          w={{ base: "100%", sm: 280 }}
        />
      </Group>
      <Table.ScrollContainer minWidth={760}>
        <Table aria-label="Planned changes" verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th style={{ minWidth: 220 }}>User or group</Table.Th>
              <Table.Th style={{ minWidth: 160 }}>Would be</Table.Th>
              <Table.Th style={{ minWidth: 320 }}>Values (on the target now → sent)</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((op, i) => {
              const action = operationLabel(op.objectType, op.action);
              const Icon = op.objectType === "GROUP" ? IconUsersGroup : IconUser;
              return (
                <Table.Tr key={`${(page - 1) * pageSize + i}`}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Icon size={16} aria-label={op.objectType === "GROUP" ? "Group" : "User"} />
                      <Text size="sm">{op.name}</Text>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <Badge color={action.color} variant="light" tt="none" style={{ whiteSpace: "nowrap", overflow: "visible" }}>
                        {action.label}
                      </Badge>
                      {op.result !== "SUCCESS" && (
                        <Badge color={resultLabel(op.result).color} variant="dot" tt="none">
                          {resultLabel(op.result).label}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={4}>
                      <ChangeLines changes={op.changes} />
                      {op.reason && (
                        <Text size="sm" c={op.result === "ERROR" ? "red" : "dimmed"} style={{ overflowWrap: "anywhere" }}>
                          {op.reason}
                        </Text>
                      )}
                    </Stack>
                  </Table.Td>
                </Table.Tr>
              );
            })}
            {shown.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={3}>
                  <Text size="sm" c="dimmed" ta="center" py="md">
                    {preview.operations.length === 0
                      ? "Nothing to change: the target already matches the directory."
                      : "No change matches."}
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
        total={rows.length}
        onPageChange={setPage}
        onPageSizeChange={(size) => {
          setPageSize(size);
          reset();
        }}
        noun="changes"
      />
      {preview.operationsTotal > preview.operations.length && (
        <Text size="xs" c="dimmed">
          The first {preview.operations.length} of {preview.operationsTotal} planned operations are listed; the numbers above count them
          all.
        </Text>
      )}
    </Stack>
  );
}
