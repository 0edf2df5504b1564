/**
 * Prometheus metrics (prom-client), served at GET /metrics with METRICS_TOKEN (./metrics-endpoint.ts).
 *
 * One registry per process, on globalThis: the product's server and Next's bundle each load this
 * module, and a metric registered twice would throw (and count half). Label values are bounded:
 * route templates (./routes.ts), statuses, outcomes; never ids, slugs or URLs.
 */
import { Prisma } from "@/generated/prisma/client";
import client from "prom-client";
import { sqlRows } from "../db/sql";

const { sql } = Prisma;

function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "lifecycle_process_" });
  const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  return {
    registry,
    httpRequests: new client.Counter({
      name: "lifecycle_http_requests_total",
      help: "Requests answered, by route template (SCIM Import: /api/scim/v2/:tenant/...), method and status.",
      labelNames: ["route", "method", "status"] as const,
      registers: [registry],
    }),
    httpDuration: new client.Histogram({
      name: "lifecycle_http_request_duration_seconds",
      help: "Time from the request's arrival to the end of its answer, by route template and method.",
      labelNames: ["route", "method"] as const,
      buckets: seconds,
      registers: [registry],
    }),
    syncRuns: new client.Counter({
      name: "lifecycle_export_sync_runs_total",
      help: "SCIM Export runs finished, by outcome (SUCCEEDED, PARTIAL, FAILED, NEEDS_CONFIRMATION) and mode (full, incremental).",
      labelNames: ["outcome", "mode"] as const,
      registers: [registry],
    }),
    targetRequests: new client.Counter({
      name: "lifecycle_export_target_requests_total",
      help: "Requests sent to export targets (each attempt), by method and answer (2xx, 4xx, 429, 5xx, transport error).",
      labelNames: ["method", "answer"] as const,
      registers: [registry],
    }),
    targetRetries: new client.Counter({
      name: "lifecycle_export_target_retries_total",
      help: "Requests to export targets sent again after a 429, a 5xx or a transport error.",
      registers: [registry],
    }),
    targetThrottled: new client.Counter({
      name: "lifecycle_export_target_throttled_total",
      help: "429 answers from export targets.",
      registers: [registry],
    }),
    jobPickup: new client.Histogram({
      name: "lifecycle_job_pickup_seconds",
      help: "Time from a job becoming due to an instance claiming it (first attempt), by function.",
      labelNames: ["function"] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    jobQueueDepth: new client.Gauge({
      name: "lifecycle_job_queue_depth",
      help: "Jobs due and not yet claimed (in-process job runner, shared by every instance), by function; read at scrape time.",
      labelNames: ["function"] as const,
      registers: [registry],
      async collect() {
        const rows = await sqlRows<{ functionId: string; n: bigint }>(
          sql`SELECT "functionId", count(*) AS n FROM "JobRun" WHERE status = 'QUEUED' AND "runAfter" <= now() GROUP BY 1`,
          { kind: "scan" },
        );
        this.reset();
        for (const row of rows) this.set({ function: row.functionId }, Number(row.n));
      },
    }),
    signIns: new client.Counter({
      name: "lifecycle_sign_ins_total",
      help: "Sign-ins at the SSO portal and tests of authentication profiles, by mode and outcome.",
      labelNames: ["mode", "outcome"] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const globalForMetrics = globalThis as unknown as { lifecycleMetrics?: Metrics };

export function metrics(): Metrics {
  globalForMetrics.lifecycleMetrics ??= createMetrics();
  return globalForMetrics.lifecycleMetrics;
}

/** The answer class of a target's reply, as the target request counter labels it. */
export function answerClass(status: number | null): string {
  if (status === null) return "transport_error";
  if (status === 429) return "429";
  return `${Math.floor(status / 100)}xx`;
}
