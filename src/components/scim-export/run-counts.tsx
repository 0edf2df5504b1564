"use client";
import { Badge, Group } from "@mantine/core";
import type { RouterOutputs } from "@/lib/trpc";
import { operationLabel } from "./labels";

type RunChange = RouterOutputs["scimExport"]["run"]["changes"][number];

/**
 * What a run did, one badge per kind of change as the server words it ("3 users created",
 * "18 members added to Data Engineers"): failures in red, skips in grey. Nothing when it changed
 * nothing: the run's outcome sentence says so (and only when it is true).
 */
export function RunCounts({ changes, compact }: { changes: RunChange[]; compact?: boolean }) {
  if (changes.length === 0) return null;
  return (
    <Group gap={4} aria-label="Changes">
      {changes.map((c) => (
        <Badge
          key={`${c.objectType}.${c.action}.${c.result}.${c.text}`}
          color={c.result === "error" ? "red" : c.result === "skipped" ? "gray" : operationLabel(c.objectType, c.action).color}
          variant="light"
          size={compact ? "sm" : "md"}
          tt="none"
          style={{ overflow: "visible", height: "auto", whiteSpace: "normal" }}
        >
          {c.text}
        </Badge>
      ))}
    </Group>
  );
}
