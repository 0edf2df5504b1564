import type { Prisma } from "@/generated/prisma/client";
import type { ExportRunSummary } from "./types";

export const runSummarySelect = {
  id: true,
  trigger: true,
  status: true,
  phase: true,
  done: true,
  total: true,
  counts: true,
  stats: true,
  message: true,
  pendingDeletions: true,
  mode: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  durationMs: true,
} satisfies Prisma.ExportRunSelect;

type Row = Prisma.ExportRunGetPayload<{ select: typeof runSummarySelect }>;

export function toRunSummary(row: Row): ExportRunSummary {
  const counts = (row.counts ?? {}) as Record<string, number>;
  const errors = Object.entries(counts)
    .filter(([k]) => k.endsWith(".error"))
    .reduce((n, [, v]) => n + v, 0);
  return { ...row, counts, stats: (row.stats ?? {}) as Record<string, number>, errors };
}
