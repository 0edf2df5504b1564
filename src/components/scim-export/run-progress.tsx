"use client";
import { Anchor, Badge, Group, Paper, Progress, Stack, Text } from "@mantine/core";
import { plural } from "@/lib/plural";
import Link from "next/link";
import { formatDuration } from "./format";
import { isRunLive, phaseLabel, runStatusLabel, triggerLabel } from "./labels";
import type { ExportRun } from "./use-profile";

/** Live progress of a running sync: phase, done/total, errors. Updated by polling (useCurrentRun). */
export function RunProgress({ run, logsHref }: { run: ExportRun; logsHref: string }) {
  if (!isRunLive(run.status)) return null;
  const status = runStatusLabel(run.status);
  const percent = run.total > 0 ? Math.min(100, Math.round((run.done / run.total) * 100)) : 0;
  return (
    <Paper withBorder p="md" mb="md" role="status" aria-label="Sync progress">
      <Stack gap={6}>
        <Group justify="space-between">
          <Group gap="xs">
            <Badge color={status.color} variant="light">
              {status.label}
            </Badge>
            <Text size="sm" fw={600}>
              {phaseLabel(run.phase).label}
            </Text>
            <Text size="sm" c="dimmed">
              · {triggerLabel(run.trigger).label}
            </Text>
          </Group>
          <Group gap="md">
            {run.total > 0 && (
              <Text size="sm" data-testid="run-progress-count">
                {run.done.toLocaleString()} / {run.total.toLocaleString()}
              </Text>
            )}
            <Text size="sm" c={run.errors > 0 ? "red" : "dimmed"}>
              {plural(run.errors, "error")}
            </Text>
            <Text size="sm" c="dimmed">
              {formatDuration(run.startedAt ?? run.createdAt, null)}
            </Text>
            <Anchor component={Link} href={`${logsHref}/${run.id}`} size="sm">
              Details
            </Anchor>
          </Group>
        </Group>
        <Progress
          value={run.status === "QUEUED" ? 100 : percent}
          striped
          animated
          aria-label="Sync progress bar"
          color={run.status === "QUEUED" ? "gray" : "blue"}
        />
      </Stack>
    </Paper>
  );
}
