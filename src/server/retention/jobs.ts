import type { JobRegistry } from "../jobs/definition";
import { pruneAll } from "./prune";

export const RETENTION_TASK = "retention-prune";
const DAY_MS = 86_400_000;

/** The in-process runner's share of retention: the daily pruning, one tick for the whole cluster. */
export const retentionJobs: JobRegistry = {
  definitions: [],
  periodic: [{ name: RETENTION_TASK, everyMs: DAY_MS, run: () => pruneAll() }],
};
