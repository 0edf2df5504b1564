"use client";
import { Alert, Anchor, Badge, Card, Group, Progress, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { IconArrowLeft } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { useTenant } from "@/components/shell/tenant-context";
import { formatDateTime } from "@/lib/format-date";
import { plural } from "@/lib/plural";
import { errorMessage } from "@/lib/server-errors";
import { useTRPC, type RouterOutputs } from "@/lib/trpc";
import { formatDuration } from "./format";
import { isRunLive, outcomeColor, phaseLabel, runStatusLabel, runTitle } from "./labels";
import { OperationsTable } from "./operations-table";
import { RunCounts } from "./run-counts";
import { useProfileId } from "./use-profile";

/** One run: its summary (live while it runs) and its operations. */
export function RunDetail({ runId }: { runId: string }) {
  const tenant = useTenant();
  const trpc = useTRPC();
  const profileId = useProfileId();
  const run = useQuery({
    ...trpc.scimExport.run.queryOptions({ tenantSlug: tenant.slug, runId }),
    refetchInterval: (query) => (isRunLive(query.state.data?.status) ? 1500 : false),
  });
  const back = (
    <Anchor component={Link} href={`/t/${tenant.slug}/scim-export/${profileId}/logs`} size="sm">
      <Group gap={4}>
        <IconArrowLeft size={14} /> All runs
      </Group>
    </Anchor>
  );
  if (run.isError)
    return (
      <Stack>
        {back}
        <Alert color="red">{errorMessage(run.error)}</Alert>
      </Stack>
    );
  if (!run.data) return back;
  const r = run.data;
  const status = runStatusLabel(r.status);
  const live = isRunLive(r.status);
  const stats = r.stats;

  return (
    <Stack>
      {back}
      <Card withBorder aria-label="Run summary">
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={4}>
              {runTitle(r)} · {formatDateTime(r.startedAt ?? r.createdAt)}
            </Title>
            <Badge color={status.color} size="lg" variant="light">
              {status.label}
            </Badge>
          </Group>
          {live && (
            <Stack gap={4}>
              <Text size="sm">
                {phaseLabel(r.phase).label} — {r.done.toLocaleString("en")} / {r.total.toLocaleString("en")}
              </Text>
              <Progress value={r.total ? (r.done / r.total) * 100 : 0} striped animated />
            </Stack>
          )}
          {r.outcome && (
            <Alert color={outcomeColor(r.status)} aria-label="Run outcome">
              {r.outcome}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            <Fact label="Duration">{r.startedAt ? formatDuration(r.startedAt, r.finishedAt) : "Not started"}</Fact>
            <Fact label="Objects">
              {r.done.toLocaleString("en")} of {r.total.toLocaleString("en")}
            </Fact>
            <Fact label="Errors">{plural(r.errors, "error")}</Fact>
            <Fact label="Requests to the target">
              {Object.keys(stats).length === 0
                ? "—"
                : Object.entries(stats)
                    .map(([k, v]) => `${k.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()}: ${Number(v).toLocaleString("en")}`)
                    .join(" · ")}
            </Fact>
          </SimpleGrid>
          <RunCounts changes={r.changes} />
          {r.memberChanges.length > 1 && <MembersByGroup changes={r.memberChanges} />}
        </Stack>
      </Card>
      <OperationsTable profileId={profileId} runId={runId} live={live} runStatus={r.status} />
    </Stack>
  );
}

/** Members added and removed per group, when a run touched several groups. */
function MembersByGroup({ changes }: { changes: RouterOutputs["scimExport"]["run"]["memberChanges"] }) {
  return (
    <Table aria-label="Members by group" withTableBorder verticalSpacing={4}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Group</Table.Th>
          <Table.Th>Added</Table.Th>
          <Table.Th>Removed</Table.Th>
          <Table.Th>Errors</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {changes.map((c) => (
          <Table.Tr key={c.group}>
            <Table.Td>{c.group}</Table.Td>
            <Table.Td>{plural(c.added, "member")}</Table.Td>
            <Table.Td>{plural(c.removed, "member")}</Table.Td>
            <Table.Td c={c.failed ? "red" : undefined}>{plural(c.failed, "error")}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </div>
  );
}
