/**
 * The in-process durable runner: the embedded default when Inngest is not configured. It runs the
 * SAME handlers as the Inngest functions, with a step shim whose results are stored in PostgreSQL
 * (JobStep), so a retried or resumed run skips the steps it finished:
 * - a job is a JobRun row (QUEUED → RUNNING → COMPLETED/FAILED), claimed with FOR UPDATE SKIP LOCKED;
 * - runs with the same concurrency key never overlap (one sync per profile);
 * - a RUNNING job holds a lease renewed by a heartbeat; a job whose lease expired (the process
 *   died or restarted) is claimed again and resumes after its last finished step;
 * - failures retry with exponential backoff, then the failure handler closes the export run;
 * - a scheduler tick (the cron function) and a poll of the directory change feed (debounced per
 *   tenant) replace Inngest's cron and event triggers.
 */
import { NonRetriableError } from "inngest";
import { Prisma } from "@/generated/prisma/client";
import { db } from "../db";
import type { StepRunner } from "../scim-export/engine/sync";
import type { DirectoryChangedData, SyncRequestedData } from "./events";
import { handleSyncFailed, handleSyncRequested, queueChangedProfiles, queueDueProfiles } from "./handlers";

const { sql } = Prisma;

type JobDefinition = {
  handler: (ctx: { event: { name: string; data: never }; step: StepRunner }) => Promise<unknown>;
  onFailure?: (data: never, error: unknown) => Promise<void>;
  maxAttempts: number;
};

export const jobDefinitions: Record<string, JobDefinition> = {
  "scim-export-sync": { handler: handleSyncRequested as JobDefinition["handler"], onFailure: handleSyncFailed as JobDefinition["onFailure"], maxAttempts: 5 },
  "scim-export-directory-changed": {
    handler: (({ event, step }: { event: { data: DirectoryChangedData }; step: StepRunner }) => step.run("queue-changed-profiles", () => queueChangedProfiles(event.data))) as JobDefinition["handler"],
    maxAttempts: 3,
  },
};

export const runnerTuning = { leaseMs: 30_000, heartbeatMs: 10_000, pollMs: 500, schedulerMs: 30_000, changePollMs: 2_000, debounceMs: 2_000, retryBaseMs: 2_000, parallel: 4 };

/** Queues a job. With `debounceMs`, a job of the same function and key still waiting is pushed back instead. */
/** A debounced job runs at most this many debounce periods after it was first queued. */
const DEBOUNCE_MAX_FACTOR = 3;

export async function enqueueJob(
  functionId: string,
  eventName: string,
  data: object,
  options: { concurrencyKey?: string; debounceMs?: number; extendDebounce?: boolean } = {},
): Promise<string> {
  if (options.debounceMs) {
    const waiting = await db().jobRun.findFirst({ where: { functionId, concurrencyKey: options.concurrencyKey ?? null, status: "QUEUED", attempts: 0 }, select: { id: true, createdAt: true } });
    if (waiting) {
      if (options.extendDebounce === false) return waiting.id;
      // Like Inngest's debounce timeout: a burst pushes the job back, but never past a maximum wait.
      const latest = waiting.createdAt.getTime() + options.debounceMs * DEBOUNCE_MAX_FACTOR;
      const runAfter = new Date(Math.min(Date.now() + options.debounceMs, latest));
      await db().jobRun.update({ where: { id: waiting.id }, data: { runAfter, eventData: data as Prisma.InputJsonValue }, select: { id: true } });
      return waiting.id;
    }
  }
  const job = await db().jobRun.create({
    data: { functionId, eventName, eventData: data as Prisma.InputJsonValue, concurrencyKey: options.concurrencyKey ?? null, runAfter: new Date(Date.now() + (options.debounceMs ?? 0)) },
    select: { id: true },
  });
  activeRunner?.kick();
  return job.id;
}

type ClaimedJob = { id: string; functionId: string; eventName: string; eventData: unknown; attempts: number };

async function claim(): Promise<ClaimedJob | null> {
  const rows = await db().$queryRaw<ClaimedJob[]>(sql`
    UPDATE "JobRun" SET status = 'RUNNING', "leaseUntil" = now() + ${`${runnerTuning.leaseMs} milliseconds`}::interval, attempts = attempts + 1
    WHERE id = (
      SELECT j.id FROM "JobRun" j
      WHERE ((j.status = 'QUEUED' AND j."runAfter" <= now()) OR (j.status = 'RUNNING' AND j."leaseUntil" < now()))
        AND (j."concurrencyKey" IS NULL OR NOT EXISTS (
          SELECT 1 FROM "JobRun" r WHERE r."concurrencyKey" = j."concurrencyKey" AND r.id <> j.id AND r.status = 'RUNNING' AND r."leaseUntil" >= now()))
      ORDER BY j."runAfter", j."createdAt"
      LIMIT 1
      FOR UPDATE SKIP LOCKED)
    RETURNING id::text AS id, "functionId", "eventName", "eventData", attempts`);
  return rows[0] ?? null;
}

/** The step shim: a finished step's stored output is returned without running it again. */
function stepsOf(jobId: string): StepRunner {
  return {
    async run<T>(id: string, fn: () => Promise<T>) {
      const done = await db().jobStep.findUnique({ where: { runId_stepId: { runId: jobId, stepId: id } }, select: { output: true } });
      if (done) return done.output as T;
      const output = await fn();
      const json = output === undefined ? Prisma.JsonNull : (JSON.parse(JSON.stringify(output)) as Prisma.InputJsonValue);
      await db().jobStep.upsert({ where: { runId_stepId: { runId: jobId, stepId: id } }, create: { runId: jobId, stepId: id, output: json }, update: { output: json }, select: { stepId: true } });
      return output;
    },
  };
}

/** Runs one claimed job to its end (or to its next retry). */
export async function executeJob(job: ClaimedJob): Promise<void> {
  const definition = jobDefinitions[job.functionId];
  const heartbeat = setInterval(() => {
    void db().jobRun.update({ where: { id: job.id }, data: { leaseUntil: new Date(Date.now() + runnerTuning.leaseMs) }, select: { id: true } }).catch(() => {});
  }, runnerTuning.heartbeatMs);
  try {
    if (!definition) throw new NonRetriableError(`Unknown job function ${job.functionId}`);
    await definition.handler({ event: { name: job.eventName, data: job.eventData as never }, step: stepsOf(job.id) });
    await db().jobRun.update({ where: { id: job.id }, data: { status: "COMPLETED", finishedAt: new Date(), leaseUntil: null, error: null }, select: { id: true } });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const final = error instanceof NonRetriableError || job.attempts >= (definition?.maxAttempts ?? 1);
    if (final) {
      await db().jobRun.update({ where: { id: job.id }, data: { status: "FAILED", finishedAt: new Date(), leaseUntil: null, error: message.slice(0, 2000) }, select: { id: true } });
      await definition?.onFailure?.(job.eventData as never, error).catch(() => {});
    } else {
      const delay = runnerTuning.retryBaseMs * 2 ** (job.attempts - 1) * (0.5 + Math.random() / 2);
      await db().jobRun.update({ where: { id: job.id }, data: { status: "QUEUED", runAfter: new Date(Date.now() + delay), leaseUntil: null, error: message.slice(0, 2000) }, select: { id: true } });
    }
  } finally {
    clearInterval(heartbeat);
  }
}

/** Tenants with directory changes no enabled profile has looked at yet. */
async function pollDirectoryChanges(): Promise<void> {
  const tenants = await db().$queryRaw<{ tenantId: string }[]>(sql`
    SELECT DISTINCT p."tenantId"::text AS "tenantId" FROM "ExportProfile" p
    WHERE p.enabled AND p."baseUrl" IS NOT NULL AND p."tokenCiphertext" IS NOT NULL
      AND EXISTS (SELECT 1 FROM "DirectoryChange" c WHERE c."tenantId" = p."tenantId" AND c.id > p."changeWatermark")`);
  for (const t of tenants) {
    // The feed is polled while the watermark is behind: a job already waiting is left alone (it reads
    // the latest change when it runs), so polling never pushes it back.
    await enqueueJob("scim-export-directory-changed", "directory/changed", { tenantId: t.tenantId }, { concurrencyKey: `changes:${t.tenantId}`, debounceMs: runnerTuning.debounceMs, extendDebounce: false });
  }
}

export type JobRunner = { stop: () => Promise<void>; kick: () => void; idle: () => Promise<void> };
let activeRunner: JobRunner | null = null;

/** Starts the runner (once per process). */
export function startJobRunner(options: { scheduler?: boolean; changeFeed?: boolean } = {}): JobRunner {
  if (activeRunner) return activeRunner;
  let stopped = false;
  let running = 0;
  const inFlight = new Set<Promise<void>>();
  let wake: (() => void) | null = null;
  const timers: NodeJS.Timeout[] = [];

  const loop = async () => {
    while (!stopped) {
      if (running < runnerTuning.parallel) {
        let job: ClaimedJob | null = null;
        try {
          job = await claim();
        } catch {
          job = null;
        }
        if (job) {
          running++;
          const p = executeJob(job)
            .catch(() => {})
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
        setTimeout(resolve, runnerTuning.pollMs);
      });
      wake = null;
    }
  };
  const loopDone = loop();
  if (options.scheduler !== false) timers.push(setInterval(() => void queueDueProfiles().catch(() => {}), runnerTuning.schedulerMs));
  if (options.changeFeed !== false) timers.push(setInterval(() => void pollDirectoryChanges().catch(() => {}), runnerTuning.changePollMs));
  for (const t of timers) t.unref?.();

  activeRunner = {
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
      activeRunner = null;
    },
  };
  return activeRunner;
}

export function isRunnerActive(): boolean {
  return activeRunner !== null;
}

export type { SyncRequestedData };
