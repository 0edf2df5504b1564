/**
 * `npm run bench:scim-import` (tsx bench/scim-import.ts): the Okta-shaped SCIM workload of issue 4,
 * run by a client process (bench/scim-import-client.ts) against two servers in this process, on the
 * same embedded PostgreSQL:
 *   - the product: SCIM Import's real request handler (token check, rate limit, provisioning
 *     events included) behind a plain node:http server on 127.0.0.1 (in the product, Next's
 *     route hands it the same plain request: src/server/scim-import/http.ts);
 *   - BoxyHQ Jackson's directory-sync SCIM server (`directorySyncController.requests.handle`)
 *     behind the same kind of node:http server.
 * Phases: create N users, look each up by `userName eq`, deactivate each by PATCH, create 200
 * groups, add members 100 per PATCH, list all users in pages of 100 (each seen exactly once); then,
 * on the product alone, one client grows one group to all N users, 100 per PATCH (the latency of
 * the first PATCHes against the last: a PATCH must cost the same whatever the group's size).
 * Flags: --n 20000 --concurrency 8 --groups 200 --only product|jackson, --no-events to see
 * what recording every request as a provisioning event costs (the product records them always;
 * Jackson records none), and --profile <step 0-6> to write a CPU profile of this process (the
 * servers) during that phase, for Chrome DevTools or `bench/profile-summary.ts`.
 */
import { fork } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { withDatabase } from "../src/server/runtime/embedded-postgres";
import { readLimited, type ScimHttpRequest } from "../src/server/scim-import/http";
import { startBenchDatabase } from "./bench-database";
import type { PhaseResult, Setup, StepRequest, Target } from "./scim-import-client";

const { values: flags } = parseArgs({
  options: { n: { type: "string", default: "20000" }, concurrency: { type: "string", default: "8" }, groups: { type: "string", default: "200" }, only: { type: "string" }, "no-events": { type: "boolean", default: false }, profile: { type: "string" } },
});
const N = Number(flags.n);
const CONCURRENCY = Number(flags.concurrency);
const GROUPS = Number(flags.groups);
const PROFILED_STEP = flags.profile === undefined ? undefined : Number(flags.profile);
// The product's default SCIM rate limit (100 requests/s per tenant) would measure the limit, not the
// server: the benchmark's servers run with a limit far above what they can serve, through the setting.
process.env.SCIM_RATE_LIMIT ??= "1000000/s,burst=1000000";

/** Runs one phase under V8's CPU profiler and writes the profile beside the working directory. */
async function profiled<T>(name: string, run: () => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  try {
    return await run();
  } finally {
    const { profile } = await session.post("Profiler.stop");
    const file = `${name}.cpuprofile`;
    await writeFile(file, JSON.stringify(profile));
    console.log(`CPU profile of the servers written to ${file}`);
    session.disconnect();
  }
}

/** A phase's result with the CPU it cost: this process (the server under test), PostgreSQL and the client. */
type Measured = PhaseResult & { serverCpuMs: number; postgresCpuMs: number; clientCpuMs: number };

function print(name: string, results: Measured[]) {
  console.log(`\n${name}`);
  console.log("phase".padEnd(30), "ops".padStart(7), "ops/s".padStart(9), "p50 ms".padStart(9), "p99 ms".padStart(9), "errors".padStart(7), "server CPU ms/op".padStart(17), "PG CPU ms/op".padStart(13), "client CPU ms/op".padStart(17));
  for (const r of results) {
    console.log(
      r.phase.padEnd(30),
      String(r.ops).padStart(7),
      (r.ops / r.seconds).toFixed(0).padStart(9),
      r.p50.toFixed(1).padStart(9),
      r.p99.toFixed(1).padStart(9),
      String(r.errors).padStart(7),
      (r.serverCpuMs / r.ops).toFixed(3).padStart(17),
      (r.postgresCpuMs / r.ops).toFixed(3).padStart(13),
      (r.clientCpuMs / r.ops).toFixed(3).padStart(17),
      r.note ? ` ${r.note}` : "",
    );
  }
}

const CLOCK_TICKS_PER_SECOND = 100;

/** The fields of /proc/<pid>/stat after "(name) ": state ppid … utime stime cutime cstime (14th–17th of stat). */
async function procStat(pid: number | string): Promise<number[]> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ").map(Number);
}

/** CPU milliseconds used so far by one process (the bench client), NaN when /proc cannot tell. */
async function processCpuMs(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  const fields = await procStat(pid);
  return ((fields[11]! + fields[12]!) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * CPU milliseconds used so far by the PostgreSQL server, from /proc: the postmaster, its live
 * backends, and (in the postmaster's cutime/cstime) every backend that has exited since.
 */
async function postgresCpuMs(clusterDir: string): Promise<number> {
  try {
    const postmaster = Number((await readFile(path.join(clusterDir, "postmaster.pid"), "utf8")).split("\n")[0]);
    let ticks = 0;
    for (const entry of await readdir("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const fields = await procStat(entry);
      const [ppid, utime, stime, cutime, cstime] = [fields[1]!, fields[11]!, fields[12]!, fields[13]!, fields[14]!];
      if (Number(entry) === postmaster) ticks += utime + stime + cutime + cstime;
      else if (ppid === postmaster) ticks += utime + stime;
    }
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN; // not Linux: the column reads NaN
  }
}

/** The client process (bench/scim-import-client.ts), ready to run steps. */
async function startClient(setup: Setup): Promise<{ pid: number | undefined; run: (request: StepRequest) => Promise<PhaseResult>; stop: () => void }> {
  const child = fork(new URL("./scim-import-client.ts", import.meta.url), [], { execArgv: ["--import", "tsx"] });
  const next = () => new Promise<any>((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`the bench client exited (${code})`));
    child.once("exit", exited);
    child.once("message", (message) => {
      child.off("exit", exited);
      resolve(message);
    });
  });
  const ready = next();
  child.send({ start: setup });
  await ready;
  return {
    pid: child.pid,
    run: (request) => {
      const result = next();
      child.send(request);
      return result;
    },
    stop: () => child.kill(),
  };
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/** The product's SCIM Import handler, exactly as the route calls it. */
async function startProduct(): Promise<{ target: Target; close: () => void }> {
  const { createScimImportHandler } = await import("../src/server/scim-import/handle-request");
  const { generateScimToken } = await import("../src/server/scim-import/tokens");
  const { db } = await import("../src/server/db");
  const tenant = await db().tenant.create({ data: { slug: "bench", name: "Bench" } });
  const { token } = await generateScimToken({ tenantId: tenant.id });
  const handler = createScimImportHandler({ appUrl: "http://127.0.0.1", recordEvents: !flags["no-events"] });
  const server = http.createServer(async (req, res) => {
    const url = req.url ?? "/";
    const pathname = url.split("?")[0]!;
    const request: ScimHttpRequest = {
      method: req.method ?? "GET",
      url,
      header: (name) => {
        const value = req.headers[name];
        return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
      },
      readBody: (limit) => readLimited(req, req.headers["content-length"], limit),
    };
    const segments = pathname.split("/").slice(5).filter(Boolean).map(decodeURIComponent);
    const response = await handler(request, pathname.split("/")[4] ?? "", segments);
    res.writeHead(response.status, response.headers);
    res.end(response.body ?? undefined);
  });
  const origin = await listen(server);
  return { target: { name: "product", baseUrl: `${origin}/api/scim/v2/bench`, token }, close: () => server.close() };
}

/** Jackson's directory-sync SCIM server (okta-scim-v2 directory) on its own database of the same PostgreSQL. */
async function startJackson(url: string): Promise<{ target: Target; close: () => void }> {
  process.env.BOXYHQ_NO_ANALYTICS = "1";
  const { controllers } = await import("@boxyhq/saml-jackson");
  const { directorySyncController } = await controllers({
    externalUrl: "http://127.0.0.1",
    samlPath: "/api/oauth/saml",
    samlAudience: "https://saml.boxyhq.com",
    idpEnabled: false,
    // Pages of up to 100 like ours (Jackson's default cap is 50), so both list the same pages.
    db: { engine: "sql", type: "postgres", url, pageLimit: 100 },
    openid: {},
    noAnalytics: true,
    logger: { info: () => undefined, warn: () => undefined, error: (m: string) => { if (!/Webhook not configured/.test(m)) console.error(`[jackson] ${m}`); } },
  } as never);
  const { data: directory, error } = await directorySyncController.directories.create({ tenant: "bench", product: "bench", name: "bench", type: "okta-scim-v2" });
  if (!directory) throw new Error(`Jackson directory: ${JSON.stringify(error)}`);
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const [, , , , directoryId, resource, resourceId] = url.pathname.split("/"); // /api/scim/v2.0/<dir>/<Users|Groups>/<id>
    const raw = req.method === "GET" || req.method === "DELETE" ? undefined : (await readBody(req)).toString("utf8");
    const auth = req.headers.authorization ?? "";
    const count = url.searchParams.get("count");
    const startIndex = url.searchParams.get("startIndex");
    const result = await directorySyncController.requests.handle({
      method: req.method ?? "GET",
      body: raw ? JSON.parse(raw) : undefined,
      directoryId: directoryId ?? "",
      resourceType: (resource ?? "").toLowerCase(),
      resourceId,
      apiSecret: auth.replace(/^Bearer\s+/i, "") || null,
      query: { count: count ? Number(count) : undefined, startIndex: startIndex ? Number(startIndex) : undefined, filter: url.searchParams.get("filter") ?? undefined },
    });
    res.writeHead(result.status, { "Content-Type": "application/scim+json" });
    res.end(result.data === undefined ? undefined : JSON.stringify(result.data));
  });
  const origin = await listen(server);
  return { target: { name: "jackson", baseUrl: `${origin}/api/scim/v2.0/${directory.id}`, token: directory.scim.secret }, close: () => server.close() };
}

async function main() {
  const database = await startBenchDatabase({ otherDatabases: ["jackson"] });
  const { clusterDir } = database;
  try {
    console.log(`SCIM Import benchmark: N=${N}, ${CONCURRENCY} concurrent clients, ${GROUPS} groups, node ${process.version}, ${os.cpus().length} CPUs${flags["no-events"] ? ", provisioning events OFF" : ""}`);
    console.log(`SCIM_RATE_LIMIT=${process.env.SCIM_RATE_LIMIT} for the product: throughput is measured, not the rate limit (the product's default is 100/s,burst=200 per tenant)`);

    const targets: { target: Target; close: () => void }[] = [];
    if (flags.only !== "jackson") targets.push(await startProduct());
    if (flags.only !== "product") targets.push(await startJackson(withDatabase(database.serverUrl, "jackson")));
    const client = await startClient({ targets: targets.map(({ target }) => target), n: N, concurrency: CONCURRENCY, groups: GROUPS });
    const plans = targets.map(({ target }) => ({ name: target.name, results: [] as Measured[] }));
    // Phase by phase, each server in turn: both see the same load from whatever else the machine runs.
    // The six phases of the workload run on both servers; the last step (one group grown to N
    // members by one client) on the product alone: Jackson takes seconds per PATCH there.
    for (let step = 0; step < 7; step++) {
      for (const plan of step < 6 ? plans : plans.filter((p) => p.name === "product")) {
        const [cpuBefore, postgresBefore, clientBefore] = [process.cpuUsage(), await postgresCpuMs(clusterDir), await processCpuMs(client.pid)];
        const run = () => client.run({ target: plan.name, step });
        const phase = step === PROFILED_STEP ? await profiled(`scim-import-${plan.name}-step-${step}`, run) : await run();
        const cpu = process.cpuUsage(cpuBefore);
        const result = {
          ...phase,
          serverCpuMs: (cpu.user + cpu.system) / 1000,
          postgresCpuMs: (await postgresCpuMs(clusterDir)) - postgresBefore,
          clientCpuMs: (await processCpuMs(client.pid)) - clientBefore,
        };
        plan.results.push(result);
        console.log(`[${plan.name}] ${result.phase}: ${(result.ops / result.seconds).toFixed(0)} ops/s`);
      }
    }
    client.stop();
    for (const { close } of targets) close();
    const all: Record<string, Measured[]> = Object.fromEntries(plans.map((plan) => [plan.name, plan.results]));
    if (all.product) print("product (SCIM Import)", all.product);
    if (all.jackson) print("Jackson directory sync", all.jackson);
    if (all.product && all.jackson) {
      console.log("\nratio (product ops/s ÷ Jackson ops/s)");
      all.product.slice(0, all.jackson.length).forEach((p, i) => {
        const j = all.jackson![i]!;
        console.log(p.phase.padEnd(30), `${(p.ops / p.seconds / (j.ops / j.seconds)).toFixed(2)}×`);
      });
    }
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    await database.stop();
    process.exit();
  }
}

void main();
