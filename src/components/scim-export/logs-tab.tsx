"use client";
import { Alert, Anchor, Badge, Card, Stack, Table, Text, Title } from "@mantine/core";
import { IconListDetails } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTenant } from "@/components/shell/tenant-context";
import { EmptyState } from "@/components/ui/empty-state";
import { errorMessage } from "@/lib/server-errors";
import { useTRPC } from "@/lib/trpc";
import { DataTablePagination } from "@/components/data-table/data-table-pagination";
import { formatDateTime } from "@/lib/format-date";
import { formatDuration } from "./format";
import { isRunLive, outcomeColor, runStatusLabel, runTitle } from "./labels";
import { RunCounts } from "./run-counts";
import { useProfile, useProfileId } from "./use-profile";

/** Steps 16–17: the runs of the profile; each opens its operations. */
export function LogsTab() {
  const tenant = useTenant();
  const trpc = useTRPC();
  const router = useRouter();
  const profileId = useProfileId();
  const profile = useProfile();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(25);
  const live = Boolean(profile.data?.activeRun);
  const runs = useQuery({
    ...trpc.scimExport.runs.queryOptions({ tenantSlug: tenant.slug, profileId, page, pageSize }),
    placeholderData: keepPreviousData,
    refetchInterval: live ? 2000 : false,
  });
  const base = `/t/${tenant.slug}/scim-export/${profileId}/logs`;

  if (runs.isError) return <Alert color="red">{errorMessage(runs.error)}</Alert>;
  if (runs.data && runs.data.total === 0) {
    return (
      <EmptyState icon={IconListDetails} title="No sync has run yet">
        Press Sync, or Provision on Demand on the About tab. Every run is listed here with what it created, updated, deactivated or skipped,
        and why.
      </EmptyState>
    );
  }

  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={4}>Sync runs</Title>
        <Table.ScrollContainer minWidth={860}>
          <Table aria-label="Sync runs" verticalSpacing="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Started</Table.Th>
                <Table.Th>Trigger</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Duration</Table.Th>
                <Table.Th>Changes</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {runs.data?.items.map((run) => {
                const status = runStatusLabel(run.status);
                return (
                  <Table.Tr key={run.id} style={{ cursor: "pointer" }} onClick={() => router.push(`${base}/${run.id}`)}>
                    <Table.Td>
                      <Anchor component={Link} href={`${base}/${run.id}`} size="sm" onClick={(e) => e.stopPropagation()}>
                        {formatDateTime(run.startedAt ?? run.createdAt)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{runTitle(run)}</Text>
                      {run.mode && (
                        <Text size="xs" c="dimmed">
                          {run.mode === "full" ? "Full pass" : "Changes only"}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={status.color} variant="light">
                        {status.label}
                      </Badge>
                      {isRunLive(run.status) && run.total > 0 && (
                        <Text size="xs" c="dimmed">
                          {run.done.toLocaleString("en")} / {run.total.toLocaleString("en")}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{run.startedAt ? formatDuration(run.startedAt, run.finishedAt) : "—"}</Text>
                    </Table.Td>
                    <Table.Td>
                      <RunCounts changes={run.changes} compact />
                      {run.outcome && (
                        <Text
                          size="xs"
                          c={run.status === "SUCCEEDED" ? "dimmed" : outcomeColor(run.status)}
                          mt={4}
                          data-testid="run-outcome"
                        >
                          {run.outcome}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <DataTablePagination
          page={page}
          pageSize={pageSize}
          total={runs.data?.total ?? 0}
          onPageChange={setPage}
          onPageSizeChange={(size) => {
            setPageSize(size);
            setPage(1);
          }}
          noun="runs"
        />
      </Stack>
    </Card>
  );
}
