/**
 * `npm run bench:jobs`: the in-process job runner with one and with two instances (each a process
 * of its own, as two servers would run it) on one throw-away PostgreSQL, against the Databricks
 * emulator (20 ms per request):
 *   - pickup latency: a sync queued by another process (the console of another instance) until
 *     its run starts, one at a time, on idle runners: the poll interval decides it;
 *   - syncs per minute: BENCH_PROFILES profiles (default 24) of BENCH_USERS users each (default
 *     20) queued at once, full reconciles, until every run finished; and the pickup latency of
 *     those queued behind others.
 * Printed side by side; nothing is asserted here.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { startDatabricksEmulator } from "../src/testing/databricks-emulator";
import { startBenchDatabase } from "./bench-database";

const PROFILES = Number(process.env.BENCH_PROFILES ?? 24);
const USERS = Number(process.env.BENCH_USERS ?? 20);
const SINGLES = Number(process.env.BENCH_SINGLES ?? 10);
const WAVES = Number(process.env.BENCH_WAVES ?? 2);
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 20);

type Result = { pickupIdle: number[]; pickupLoaded: number[]; syncsPerMinute: number[] };

const ms = (v: number) => `${Math.round(v)} ms`;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

async function startInstance(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join("bench", "jobs-instance.ts")], {
    stdio: ["ignore", "pipe", "inherit"],
    env: process.env,
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
    child.once("exit", (code) => reject(new Error(`A runner instance exited (${code}) before it was ready.`)));
  });
  return child;
}

async function main() {
  const database = await startBenchDatabase();
  Object.assign(process.env, {
    AUTH_SECRET: randomBytes(32).toString("hex"),
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    APP_URL: "http://localhost:3000",
    ALLOW_PRIVATE_TARGETS: "true",
  });
  const emulator = await startDatabricksEmulator({ latencyMs: LATENCY, logRequests: false });
  const { db } = await import("../src/server/db");
  const { requestExportSync } = await import("../src/server/scim-export");
  const { newTenant, newGroupWithUsers, newConfiguredProfile } = await import("../src/testing/factories/scim-export");

  const tenant = await newTenant();
  const profiles: string[] = [];
  for (let i = 0; i < PROFILES; i++) {
    const { group } = await newGroupWithUsers(tenant.id, USERS);
    profiles.push(await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] }));
  }

  const waitFinished = async (runIds: string[]) => {
    for (;;) {
      const open = await db().exportRun.count({ where: { id: { in: runIds }, status: { in: ["QUEUED", "RUNNING"] } } });
      if (open === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const pickups = async (runIds: string[]) =>
    (await db().exportRun.findMany({ where: { id: { in: runIds } }, select: { createdAt: true, startedAt: true } })).map(
      (r) => r.startedAt!.getTime() - r.createdAt.getTime(),
    );

  const measure = async (instances: number): Promise<Result> => {
    const children = await Promise.all(Array.from({ length: instances }, () => startInstance()));
    const result: Result = { pickupIdle: [], pickupLoaded: [], syncsPerMinute: [] };
    try {
      for (let i = 0; i < SINGLES; i++) {
        const { runId } = await requestExportSync({ tenantId: tenant.id, profileId: profiles[i % profiles.length]!, full: true });
        await waitFinished([runId]);
        result.pickupIdle.push(...(await pickups([runId])));
        // Requests land at any moment of the runners' poll cycle.
        await new Promise((r) => setTimeout(r, Math.random() * 500));
      }
      for (let w = 0; w < WAVES; w++) {
        const started = Date.now();
        const runIds = (
          await Promise.all(profiles.map((profileId) => requestExportSync({ tenantId: tenant.id, profileId, full: true })))
        ).map((r) => r.runId);
        await waitFinished(runIds);
        const finished = await db().exportRun.aggregate({ where: { id: { in: runIds } }, _max: { finishedAt: true } });
        result.syncsPerMinute.push((runIds.length / (finished._max.finishedAt!.getTime() - started)) * 60_000);
        result.pickupLoaded.push(...(await pickups(runIds)));
      }
    } finally {
      for (const child of children) child.kill("SIGTERM");
      await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)))));
    }
    return result;
  };

  console.log(
    `bench:jobs — ${PROFILES} profiles × ${USERS} users, full reconciles, emulator latency ${LATENCY} ms, default runner tuning (poll 500 ms, 4 jobs per instance)`,
  );
  const one = await measure(1);
  const two = await measure(2);
  const rows: [string, (r: Result) => string][] = [
    [`pickup, idle (p50 / p95, ${SINGLES} syncs)`, (r) => `${ms(percentile(r.pickupIdle, 50))} / ${ms(percentile(r.pickupIdle, 95))}`],
    [
      `pickup, ${PROFILES} queued at once (p50 / p95)`,
      (r) => `${ms(percentile(r.pickupLoaded, 50))} / ${ms(percentile(r.pickupLoaded, 95))}`,
    ],
    [`syncs per minute (${WAVES} waves)`, (r) => r.syncsPerMinute.map((v) => v.toFixed(0)).join(", ")],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`${"".padEnd(width)}  ${"1 instance".padEnd(18)}  2 instances`);
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value(one).padEnd(18)}  ${value(two)}`);

  await emulator.stop();
  await database.stop();
  process.exit(0);
}

await main();
