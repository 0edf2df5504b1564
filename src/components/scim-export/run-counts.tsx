"use client";
import { Badge, Group, Text } from "@mantine/core";
import { operationLabel } from "./labels";

type Count = { objectType: string; action: string; result: string; n: number };

/** Counts keyed "<objectType>.<action>.<result>" (e.g. "user.created.success"), as the engine records them. */
export function parseCounts(counts: Record<string, number>): Count[] {
  return Object.entries(counts)
    .filter(([, n]) => typeof n === "number" && n > 0)
    .map(([key, n]) => {
      const [objectType = "", action = "", result = "success"] = key.split(".");
      return { objectType, action, result: result.toUpperCase(), n };
    });
}

/** A run's counts by action and result: "User created 3", errors in red, skipped in grey. */
export function RunCounts({ counts, compact }: { counts: Record<string, number>; compact?: boolean }) {
  const parsed = parseCounts(counts);
  if (parsed.length === 0) return <Text size="sm" c="dimmed">No changes</Text>;
  return (
    <Group gap={4}>
      {parsed.map((c) => {
        const label = operationLabel(c.objectType, c.action).label;
        const color = c.result === "ERROR" ? "red" : c.result === "SKIPPED" ? "gray" : operationLabel(c.objectType, c.action).color;
        const suffix = c.result === "ERROR" ? " · failed" : c.result === "SKIPPED" && c.action !== "skipped" ? " · skipped" : "";
        return (
          <Badge key={`${c.objectType}.${c.action}.${c.result}`} color={color} variant="light" size={compact ? "sm" : "md"} tt="none">
            {label}
            {suffix}: {c.n.toLocaleString()}
          </Badge>
        );
      })}
    </Group>
  );
}
