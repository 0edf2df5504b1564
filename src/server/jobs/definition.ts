/**
 * What a job is, for whichever provider runs it (Inngest or the in-process runner). Each feature
 * declares its jobs (scim-export/jobs.ts); jobs/ knows none of them.
 */
import type { Fence } from "./lease";
import type { StepRunner } from "./step";

export type JobExecution = {
  /** Stable across retries and takeovers of one job: the in-process job id, or Inngest's run id. */
  id: string;
  /** 0 on the first try; more when this execution resumes a job that failed or was cut off (Inngest's `attempt`). */
  attempt: number;
  /** In-process only: the condition under which this execution still holds its job. */
  fence?: Fence;
};

export type JobContext<T> = { event: { name: string; data: T }; step: StepRunner; execution: JobExecution };

export type JobDefinition<T = never> = {
  /** The function id (Inngest's, and JobRun.functionId). */
  id: string;
  event: string;
  handler: (ctx: JobContext<T>) => Promise<unknown>;
  /** After the last attempt failed. */
  onFailure?: (data: T, error: unknown) => Promise<void>;
  maxAttempts: number;
};

/** A task the cluster runs once per period (a cron), whichever instance gets the tick. */
type PeriodicTask = {
  name: string;
  everyMs: number;
  run: (tuning: { debounceMs: number }) => Promise<unknown>;
};

/** What a feature gives the runner: its job definitions and its periodic tasks. */
export type JobRegistry = { definitions: JobDefinition[]; periodic: PeriodicTask[] };

/** Erases a definition's event type for the registry (the runner hands each job its own stored data). */
export function defineJob<T>(definition: JobDefinition<T>): JobDefinition {
  return definition as unknown as JobDefinition;
}
