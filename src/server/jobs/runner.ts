/**
 * The in-process durable runner: the embedded default when Inngest is not configured. It runs the
 * jobs a feature declares (JobRegistry) with a step shim whose results are stored in PostgreSQL
 * (JobStep), so a retried or resumed job skips the steps it finished. Safe with N instances on one
 * database:
 * - a job is a JobRun row (QUEUED → RUNNING → COMPLETED/FAILED), claimed with FOR UPDATE SKIP LOCKED;
 * - jobs with the same concurrency key never run at once: a unique partial index allows one
 *   RUNNING job per key (job-store.ts);
 * - a claim names its instance (leaseOwner) and gets a new fencing token; a heartbeat renews the
 *   lease. A job whose lease expired (its instance died) is claimed again and resumes after its
 *   last recorded step; the instance that lost it can record no step and close nothing (lease.ts),
 *   and stops at its next request once a heartbeat finds the lease gone;
 * - failures retry with exponential backoff, then the definition's onFailure runs;
 * - periodic tasks (Inngest's cron) tick once per period across the cluster (periodic.ts).
 */
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { NonRetriableError } from "inngest";
import { Prisma } from "@/generated/prisma/client";
import { db } from "../db";
import { logInternalError } from "../http/internal-error";
import type { JobDefinition, JobRegistry } from "./definition";
import { claimJob, closeJob, finishedStep, recordStep, renewLease, type ClaimedJob } from "./job-store";
import { assertLeaseHeld, LeaseLostError, withLease, type Fence } from "./lease";
import { takeTick } from "./periodic";
import type { StepRunner } from "./step";
import { errorFields, log } from "../observability/logger";

export type RunnerTuning = {
  leaseMs: number;
  heartbeatMs: number;
  /** How often an idle runner looks for work (a job queued in this process wakes it at once). */
  pollMs: number;
  /** The debounce of directory changes (the change poll and notifyDirectoryChanged). */
  debounceMs: number;
  retryBaseMs: number;
  /** Jobs one instance runs at once. */
  parallel: number;
  /** Periods of periodic tasks by name, instead of their declared ones (tests). */
  periodicMs: Record<string, number>;
};

export const DEFAULT_TUNING: RunnerTuning = {
  leaseMs: 30_000,
  heartbeatMs: 10_000,
  pollMs: 500,
  debounceMs: 2_000,
  retryBaseMs: 2_000,
  parallel: 4,
  periodicMs: {},
};

/** A debounced job runs at most this many debounce periods after it was first queued. */
const DEBOUNCE_MAX_FACTOR = 3;

/**
 * Queues a job. With `debounceMs`, a job of the same function and key still waiting is pushed back
 * instead (or, with `extendDebounce: false`, left as it is).
 */
export async function enqueueJob(
  functionId: string,
  eventName: string,
  data: object,
  options: { concurrencyKey?: string; debounceMs?: number; extendDebounce?: boolean } = {},
): Promise<string> {
  if (options.debounceMs) {
    const waiting = await db().jobRun.findFirst({
      where: { functionId, concurrencyKey: options.concurrencyKey ?? null, status: "QUEUED", attempts: 0 },
      select: { id: true, createdAt: true },
    });
    if (waiting) {
      if (options.extendDebounce === false) return waiting.id;
      // Like Inngest's debounce timeout: a burst pushes the job back, but never past a maximum wait.
      const latest = waiting.createdAt.getTime() + options.debounceMs * DEBOUNCE_MAX_FACTOR;
      const runAfter = new Date(Math.min(Date.now() + options.debounceMs, latest));
      await db().jobRun.update({
        where: { id: waiting.id },
        data: { runAfter, eventData: data as Prisma.InputJsonValue },
        select: { id: true },
      });
      return waiting.id;
    }
  }
  const job = await db().jobRun.create({
    data: {
      functionId,
      eventName,
      eventData: data as Prisma.InputJsonValue,
      concurrencyKey: options.concurrencyKey ?? null,
      runAfter: new Date(Date.now() + (options.debounceMs ?? 0)),
    },
    select: { id: true },
  });
  for (const runner of localRunners) runner.kick();
  return job.id;
}

/** The step shim: a recorded step's output is returned without running it again; a new one is recorded under the fence. */
function stepsOf(fence: Fence): StepRunner {
  return {
    async run<T>(id: string, fn: () => Promise<T>) {
      assertLeaseHeld();
      const done = await finishedStep(fence.jobId, id);
      if (done) return done.output as T;
      const output = await fn();
      await recordStep(fence, id, output === undefined ? undefined : JSON.parse(JSON.stringify(output)));
      return output;
    },
  };
}

export type JobRunner = {
  /** The instance's name in leases and logs (host:pid:random). */
  owner: string;
  tuning: RunnerTuning;
  stop: () => Promise<void>;
  kick: () => void;
  idle: () => Promise<void>;
};

const localRunners = new Set<JobRunner>();

/** The tuning of this process's runner (the first started), or the defaults. */
export function runnerTuning(): RunnerTuning {
  return localRunners.values().next().value?.tuning ?? DEFAULT_TUNING;
}

export type RunnerOptions = {
  registry: JobRegistry;
  tuning?: Partial<RunnerTuning>;
  /** Run the registry's periodic tasks (scheduler, change poll); false: only claim jobs (the CLI). */
  periodic?: boolean | string[];
  /** Overrides the instance name (tests, the benchmark). */
  owner?: string;
};

/** Starts a runner. A process normally has one (jobs/start.ts); tests may start several. */
export function startRunner(options: RunnerOptions): JobRunner {
  const tuning: RunnerTuning = {
    ...DEFAULT_TUNING,
    ...options.tuning,
    periodicMs: { ...DEFAULT_TUNING.periodicMs, ...options.tuning?.periodicMs },
  };
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const definitions = new Map(options.registry.definitions.map((d) => [d.id, d]));
  const functionIds = [...definitions.keys()];
  let stopped = false;
  let running = 0;
  const inFlight = new Set<Promise<void>>();
  let wake: (() => void) | null = null;
  const timers: NodeJS.Timeout[] = [];

  const loop = async () => {
    while (!stopped) {
      if (running < tuning.parallel) {
        let job: ClaimedJob | null = null;
        try {
          job = await claimJob(owner, tuning.leaseMs, functionIds);
        } catch (error) {
          logInternalError(`Job runner ${owner}: claiming a job`, error);
        }
        if (job) {
          running++;
          const p = executeJob(job, definitions.get(job.functionId), tuning, owner)
            .catch((error) => logInternalError(`Job runner ${owner}: job ${job.id} (${job.functionId})`, error))
            .finally(() => {
              running--;
              inFlight.delete(p);
              wake?.();
            });
          inFlight.add(p);
          continue;
        }
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, tuning.pollMs);
      });
      wake = null;
    }
  };
  const loopDone = loop();

  const wanted = options.periodic ?? true;
  for (const task of options.registry.periodic) {
    if (wanted === false || (Array.isArray(wanted) && !wanted.includes(task.name))) continue;
    const everyMs = tuning.periodicMs[task.name] ?? task.everyMs;
    const tick = async () => {
      try {
        if (await takeTick(task.name, everyMs, owner)) await task.run({ debounceMs: tuning.debounceMs });
      } catch (error) {
        logInternalError(`Job runner ${owner}: periodic task ${task.name}`, error);
      }
    };
    const timer = setInterval(() => void tick(), everyMs);
    timer.unref?.();
    timers.push(timer);
  }

  const runner: JobRunner = {
    owner,
    tuning,
    kick: () => wake?.(),
    idle: async () => {
      while (inFlight.size) await Promise.all([...inFlight]);
    },
    stop: async () => {
      stopped = true;
      for (const t of timers) clearInterval(t);
      wake?.();
      await loopDone;
      await Promise.all([...inFlight]);
      localRunners.delete(runner);
    },
  };
  localRunners.add(runner);
  return runner;
}

/**
 * Runs one claimed job to its end, its next retry, or the loss of its lease. The heartbeat renews
 * the lease; when it finds the lease gone, or cannot renew it before it expires, the execution is
 * aborted: it stops at its next step or request and closes nothing.
 */
async function executeJob(job: ClaimedJob, definition: JobDefinition | undefined, tuning: RunnerTuning, owner: string): Promise<void> {
  const fence: Fence = { jobId: job.id, token: job.token };
  const where = `Job runner ${owner}: job ${job.id} (${job.functionId}, attempt ${job.attempts})`;
  const lost = new AbortController();
  let leaseUntil = Date.now() + tuning.leaseMs;
  const heartbeat = setInterval(() => {
    renewLease(fence, tuning.leaseMs)
      .then((held) => {
        if (held) leaseUntil = Date.now() + tuning.leaseMs;
        else {
          log().warn(`${where}: the lease was taken over by another instance; this execution stops.`);
          lost.abort();
        }
      })
      .catch((error) => {
        logInternalError(`${where}: renewing the lease`, error);
        if (Date.now() >= leaseUntil) lost.abort();
      });
  }, tuning.heartbeatMs);
  try {
    if (!definition) throw new NonRetriableError(`Unknown job function ${job.functionId}`);
    await withLease({ fence, signal: lost.signal }, () =>
      definition.handler({
        event: { name: job.eventName, data: job.eventData as never },
        step: stepsOf(fence),
        execution: { id: job.id, attempt: job.attempts - 1, fence },
      }),
    );
    if (!(await closeJob(fence, { status: "COMPLETED" })))
      log().warn(`${where}: finished after its lease was taken over; the other instance's result stands.`);
  } catch (error) {
    if (error instanceof LeaseLostError || lost.signal.aborted) {
      log().warn(`${where}: stopped, its lease was lost.`);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const final = error instanceof NonRetriableError || job.attempts >= (definition?.maxAttempts ?? 1);
    if (!final) {
      const delayMs = tuning.retryBaseMs * 2 ** (job.attempts - 1) * (0.5 + Math.random() / 2);
      if (!(await closeJob(fence, { status: "QUEUED", error: message, delayMs })))
        log().warn(errorFields(error), `${where}: failed after its lease was taken over`);
      return;
    }
    // Only the holder closes the job and runs its failure handler (once, not once per instance).
    if (!(await closeJob(fence, { status: "FAILED", error: message }))) return;
    logInternalError(`${where}: failed for good`, error);
    await definition?.onFailure?.(job.eventData as never, error).catch((e) => logInternalError(`${where}: its failure handler`, e));
  } finally {
    clearInterval(heartbeat);
  }
}

/** Whether this process runs a runner (the CLI asks before starting its own). */
export function isRunnerActive(): boolean {
  return localRunners.size > 0;
}
