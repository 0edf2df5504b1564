/**
 * `npm run bench:scim-import` (tsx bench/scim-import.ts): the Okta-shaped SCIM workload of issue 4,
 * run by a client process (bench/scim-import-client.ts) against three servers on the same
 * embedded PostgreSQL:
 *   - "deployed": the product as customers reach it (issue 17), its own server
 *     (src/server/http/main.ts: request steps, then SCIM Import's handler, Next for the rest)
 *     started as `npm start` starts it, in a process of its own, on the production build in
 *     NEXT_DIST_DIR (`.next-bench` unless set; built first when missing or stale, as
 *     scripts/start.ts does);
 *   - "handler": SCIM Import's real request handler (token check, rate limit, provisioning
 *     events included) behind a bare node:http server in this process: what the serving path
 *     adds shows as the difference between the two;
 *   - BoxyHQ Jackson's directory-sync SCIM server (`directorySyncController.requests.handle`)
 *     behind the same kind of node:http server, in this process.
 * Phases: create N users, look each up by `userName eq`, deactivate each by PATCH, create 200
 * groups, add members 100 per PATCH, list all users in pages of 100 (each seen exactly once); then,
 * on the product alone, one client grows one group to all N users, 100 per PATCH (the latency of
 * the first PATCHes against the last: a PATCH must cost the same whatever the group's size).
 * Server CPU is this process's for "handler" and Jackson, the spawned server's (and any process
 * it starts) for "deployed".
 * Flags: --n 20000 (or a list, `--n 20000,100000`: one run per size on a fresh database each, then
 * every server's throughput at each size against the first), --concurrency 8 --groups 200
 * --only deployed|handler|jackson, --no-events to see what recording every request as a
 * provisioning event costs in the handler (the product records them always; Jackson records none),
 * and --profile <step 0-6> to write a CPU profile of each server during that phase, for Chrome
 * DevTools or `bench/profile-summary.ts`: the deployed server's own process (through
 * bench/server-profiler.ts), this process for the handler and Jackson.
 */
import { fork, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { once } from "node:events";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildIsStale } from "../src/server/runtime/build-state";
import { withDatabase } from "../src/server/runtime/embedded-postgres";
import { startBenchDatabase } from "./bench-database";
import type { PhaseResult, Setup, StepRequest, Target } from "./scim-import-client";

const { values: flags } = parseArgs({
  options: {
    n: { type: "string", default: "20000" },
    concurrency: { type: "string", default: "8" },
    groups: { type: "string", default: "200" },
    only: { type: "string" },
    "no-events": { type: "boolean", default: false },
    profile: { type: "string" },
    // Internal: where a run at one size (started by a run over several) writes its results.
    results: { type: "string" },
  },
});
/** `--n 20000,100000`: one whole run per size, on a fresh database each, then throughput at each size against the first. */
const SIZES = flags.n.split(",").map(Number);
if (SIZES.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--n takes user counts separated by commas, not ${flags.n}`);
const CONCURRENCY = Number(flags.concurrency);
const GROUPS = Number(flags.groups);
const PROFILED_STEP = flags.profile === undefined ? undefined : Number(flags.profile);
const ONLY = flags.only;
if (ONLY !== undefined && !["deployed", "handler", "jackson"].includes(ONLY))
  throw new Error(`--only takes deployed, handler or jackson, not ${ONLY}`);
const ROOT = path.resolve(import.meta.dirname, "..");
const DIST_DIR = process.env.NEXT_DIST_DIR ?? ".next-bench";
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
  console.log(
    "phase".padEnd(30),
    "ops".padStart(7),
    "ops/s".padStart(9),
    "p50 ms".padStart(9),
    "p99 ms".padStart(9),
    "errors".padStart(7),
    "server CPU ms/op".padStart(17),
    "PG CPU ms/op".padStart(13),
    "client CPU ms/op".padStart(17),
  );
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
  return stat
    .slice(stat.lastIndexOf(")") + 2)
    .split(" ")
    .map(Number);
}

/** CPU milliseconds used so far by one process (the bench client), NaN when /proc cannot tell. */
async function processCpuMs(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  const fields = await procStat(pid);
  return ((fields[11]! + fields[12]!) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * CPU milliseconds used so far by a process and everything it started: its own time, its live
 * descendants' and (in cutime/cstime) the exited ones'. The deployed server is one Node process
 * today; this keeps counting right if Next ever forks workers.
 */
async function processTreeCpuMs(root: number | undefined): Promise<number> {
  if (root === undefined) return Number.NaN;
  const stats = new Map<number, number[]>();
  for (const entry of await readdir("/proc").catch(() => [])) if (/^\d+$/.test(entry)) stats.set(Number(entry), await procStat(entry));
  const rootStat = stats.get(root);
  if (!rootStat) return Number.NaN;
  let ticks = rootStat[11]! + rootStat[12]! + rootStat[13]! + rootStat[14]!;
  const tree = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, fields] of stats) {
      if (tree.has(pid) || !tree.has(fields[1]!)) continue;
      tree.add(pid);
      ticks += fields[11]! + fields[12]!;
      grew = true;
    }
  }
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** Starts measuring a server's CPU: from /proc when it runs in a process of its own, else this process's. */
async function cpuMeter(pid: number | undefined): Promise<() => Promise<number>> {
  if (pid === undefined) {
    const before = process.cpuUsage();
    return async () => {
      const cpu = process.cpuUsage(before);
      return (cpu.user + cpu.system) / 1000;
    };
  }
  const before = await processTreeCpuMs(pid);
  return async () => (await processTreeCpuMs(pid)) - before;
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
async function startClient(
  setup: Setup,
): Promise<{ pid: number | undefined; run: (request: StepRequest) => Promise<PhaseResult>; stop: () => void }> {
  const child = fork(new URL("./scim-import-client.ts", import.meta.url), [], { execArgv: ["--import", "tsx"] });
  const next = () =>
    new Promise<any>((resolve, reject) => {
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

/**
 * A server under test: its target, and its process when it runs in one of its own (else it is
 * this process), with a way to profile that process during a phase.
 */
type Server = {
  target: Target;
  pid?: number;
  profile?: <T>(name: string, run: () => Promise<T>) => Promise<T>;
  close: () => Promise<void>;
};

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

/** A tenant of the product with a SCIM token, in the bench database. */
async function newTenant(slug: string): Promise<string> {
  const { generateScimToken } = await import("../src/server/scim-import/tokens");
  const { db } = await import("../src/server/db");
  const tenant = await db().tenant.create({ data: { slug, name: slug } });
  return (await generateScimToken({ tenantId: tenant.id })).token;
}

/** SCIM Import's handler behind a bare node:http server, through the same adapter the product's server uses. */
async function startHandler(): Promise<Server> {
  const { createScimImportHandler } = await import("../src/server/scim-import/handle-request");
  const { scimImportPath, serveScimImport } = await import("../src/server/http/scim-route");
  const token = await newTenant("bench-handler");
  const handler = createScimImportHandler({ appUrl: "http://127.0.0.1", recordEvents: !flags["no-events"] });
  const server = http.createServer((req, res) => {
    const target = req.url ?? "/";
    const path = scimImportPath(target, target.split("?")[0]!);
    if (!path) return void res.writeHead(404).end();
    serveScimImport(handler, path, req, res).catch((error: unknown) => {
      console.error(error);
      res.destroy();
    });
  });
  const origin = await listen(server);
  return { target: { name: "handler", baseUrl: `${origin}/api/scim/v2/bench-handler`, token }, close: async () => void server.close() };
}

/** Builds the production bundle into DIST_DIR when it is missing or older than the sources, as `npm start` does. */
function buildIfStale() {
  if (!buildIsStale(ROOT, DIST_DIR)) return;
  console.log(`building the production bundle into ${DIST_DIR} (missing or older than the sources; a few minutes)…`);
  const build = spawnSync(path.join(ROOT, "node_modules/.bin/next"), ["build"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NODE_ENV: "production", NEXT_DIST_DIR: DIST_DIR },
  });
  if (build.status !== 0)
    throw new Error(`next build into ${DIST_DIR} failed (status ${build.status}); run NEXT_DIST_DIR=${DIST_DIR} npx next build to see why`);
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * The product's server as `npm start` runs it (scripts/start.ts): `node --import tsx
 * src/server/http/main.ts` in production mode on the bench database, on a free port.
 */
async function startDeployed(databaseUrl: string): Promise<Server> {
  const token = await newTenant("bench-deployed");
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  // With --profile, bench/server-profiler.ts rides along and profiles the server on request (IPC).
  const profiler = PROFILED_STEP === undefined ? [] : ["--import", path.join(ROOT, "bench/server-profiler.ts")];
  const child = spawn(process.execPath, ["--import", "tsx", ...profiler, path.join(ROOT, "src/server/http/main.ts")], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit", ...(PROFILED_STEP === undefined ? [] : (["ipc"] as const))],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      APP_URL: origin,
      NODE_ENV: "production",
      NEXT_DIST_DIR: DIST_DIR,
      NEXTAUTH_URL: origin,
      NEXTAUTH_SECRET: process.env.AUTH_SECRET,
    },
  });
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`the product's server exited (${code}) before it was ready`))),
  );
  const ready = (async () => {
    for (;;) {
      const ok = await fetch(`${origin}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  await Promise.race([ready, exited]);
  exited.catch(() => undefined);
  const reply = (key: string) =>
    new Promise<void>((resolve) => {
      const listener = (message: Record<string, unknown>) => {
        if (!(key in message)) return;
        child.off("message", listener);
        resolve();
      };
      child.on("message", listener);
    });
  const profile = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const started = reply("profiling");
    child.send({ profile: "start" });
    await started;
    try {
      return await run();
    } finally {
      const file = path.resolve(`${name}.cpuprofile`);
      const written = reply("profiled");
      child.send({ profile: "stop", file });
      await written;
      console.log(`CPU profile of the deployed server written to ${file}`);
    }
  };
  return {
    target: { name: "deployed", baseUrl: `${origin}/api/scim/v2/bench-deployed`, token },
    pid: child.pid,
    profile,
    close: async () => {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

/** Jackson's directory-sync SCIM server (okta-scim-v2 directory) on its own database of the same PostgreSQL. */
async function startJackson(url: string): Promise<Server> {
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
    logger: {
      info: () => undefined,
      warn: () => undefined,
      error: (m: string) => {
        if (!/Webhook not configured/.test(m)) console.error(`[jackson] ${m}`);
      },
    },
  } as never);
  const { data: directory, error } = await directorySyncController.directories.create({
    tenant: "bench",
    product: "bench",
    name: "bench",
    type: "okta-scim-v2",
  });
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
      query: {
        count: count ? Number(count) : undefined,
        startIndex: startIndex ? Number(startIndex) : undefined,
        filter: url.searchParams.get("filter") ?? undefined,
      },
    });
    res.writeHead(result.status, { "Content-Type": "application/scim+json" });
    res.end(result.data === undefined ? undefined : JSON.stringify(result.data));
  });
  const origin = await listen(server);
  return {
    target: { name: "jackson", baseUrl: `${origin}/api/scim/v2.0/${directory.id}`, token: directory.scim.secret },
    close: async () => void server.close(),
  };
}

const rate = (r: PhaseResult) => r.ops / r.seconds;
const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");

/** Every phase side by side: ops/s of each server, and the ratios issue 17 asks about. */
function printComparison(all: Record<string, Measured[]>) {
  const names = ["deployed", "handler", "jackson"].filter((name) => all[name]);
  const ratios = all.jackson ? names.filter((name) => name !== "jackson") : [];
  console.log("\nops/s side by side" + (ratios.length ? " (and ÷ Jackson)" : ""));
  console.log("phase".padEnd(30), ...names.map((n) => n.padStart(10)), ...ratios.map((n) => `${n}÷jackson`.padStart(17)));
  all[names[0]!]!.forEach((first, i) => {
    const cells = names.map((name) => all[name]![i]);
    const jackson = all.jackson?.[i];
    console.log(
      first.phase.padEnd(30),
      ...cells.map((r) => (r ? rate(r).toFixed(0) : "-").padStart(10)),
      ...ratios.map((name) => (jackson && all[name]![i] ? `${(rate(all[name]![i]!) / rate(jackson)).toFixed(2)}×` : "-").padStart(17)),
    );
  });
}

/**
 * One whole run at `n` users on a fresh database: every server, every phase, printed; returns the
 * results by server.
 */
async function runAt(n: number): Promise<Record<string, Measured[]>> {
  const database = await startBenchDatabase({ otherDatabases: ["jackson"] });
  const { clusterDir } = database;
  try {
    console.log(
      `\nSCIM Import benchmark: N=${n}, ${CONCURRENCY} concurrent clients, ${GROUPS} groups, node ${process.version}, ${os.cpus().length} CPUs, load average ${loadAverage()} at the start${flags["no-events"] ? ", provisioning events OFF in the handler" : ""}`,
    );
    console.log(
      `SCIM_RATE_LIMIT=${process.env.SCIM_RATE_LIMIT} for the product: throughput is measured, not the rate limit (the product's default is 100/s,burst=200 per tenant)`,
    );

    const servers: Server[] = [];
    if (ONLY === undefined || ONLY === "deployed") servers.push(await startDeployed(database.url));
    if (ONLY === undefined || ONLY === "handler") servers.push(await startHandler());
    if (ONLY === undefined || ONLY === "jackson") servers.push(await startJackson(withDatabase(database.serverUrl, "jackson")));
    const client = await startClient({ targets: servers.map(({ target }) => target), n, concurrency: CONCURRENCY, groups: GROUPS });
    const plans = servers.map(({ target, pid, profile }) => ({
      name: target.name,
      pid,
      profile: profile ?? profiled,
      results: [] as Measured[],
    }));
    // Phase by phase, each server in turn: all see the same load from whatever else the machine runs.
    // The six phases of the workload run on every server; the last step (one group grown to N
    // members by one client) on the product alone: Jackson takes seconds per PATCH there.
    for (let step = 0; step < 7; step++) {
      for (const plan of step < 6 ? plans : plans.filter((p) => p.name !== "jackson")) {
        const serverCpu = await cpuMeter(plan.pid);
        const [postgresBefore, clientBefore] = [await postgresCpuMs(clusterDir), await processCpuMs(client.pid)];
        const run = () => client.run({ target: plan.name, step });
        const phase = step === PROFILED_STEP ? await plan.profile(`scim-import-${plan.name}-n${n}-step-${step}`, run) : await run();
        const result = {
          ...phase,
          serverCpuMs: await serverCpu(),
          postgresCpuMs: (await postgresCpuMs(clusterDir)) - postgresBefore,
          clientCpuMs: (await processCpuMs(client.pid)) - clientBefore,
        };
        plan.results.push(result);
        console.log(`[${plan.name}] ${result.phase}: ${rate(result).toFixed(0)} ops/s`);
      }
    }
    client.stop();
    for (const { close } of servers) await close();
    const all: Record<string, Measured[]> = Object.fromEntries(plans.map((plan) => [plan.name, plan.results]));
    if (all.deployed) print(`deployed (N=${n}): the product's server as npm start runs it (${DIST_DIR}), in its own process`, all.deployed);
    if (all.handler) print(`handler (N=${n}): SCIM Import's handler behind a bare node:http server in the benchmark`, all.handler);
    if (all.jackson) print(`Jackson directory sync (N=${n})`, all.jackson);
    printComparison(all);
    printFlatness(all);
    console.log(`\nload average ${loadAverage()} at the end`);
    return all;
  } finally {
    await database.stop();
  }
}

/** The last phase, spelled out: a 100-member PATCH into a group of 100 against one into a group of N. */
function printFlatness(all: Record<string, Measured[]>) {
  for (const [name, results] of Object.entries(all)) {
    const grown = results[6]?.growth;
    if (!grown) continue;
    console.log(
      `\nflatness (${name}): p50 of a ${grown.membersPerPatch}-member PATCH into the group's first ${grown.members} members ${grown.firstP50.toFixed(1)} ms, into its last ${grown.members} (up to ${grown.finalSize}) ${grown.lastP50.toFixed(1)} ms: last ÷ first ${(grown.lastP50 / grown.firstP50).toFixed(2)}`,
    );
  }
}

/** Throughput at each N against the first N, per server and phase (issue 17: within 10 % at 100,000 of 20,000). */
function printScaling(runs: { n: number; all: Record<string, Measured[]> }[]) {
  const [base, ...others] = runs;
  if (!base || others.length === 0) return;
  for (const name of Object.keys(base.all)) {
    console.log(`\n${name}: ops/s at each N, and ÷ N=${base.n}`);
    console.log("phase".padEnd(30), ...runs.map((r) => `N=${r.n}`.padStart(10)), ...others.map((r) => `${r.n}÷${base.n}`.padStart(14)));
    base.all[name]!.forEach((first, i) => {
      // The last phase grows one group to N: its ops are N/100 PATCHes, compared per PATCH like the others.
      const cells = runs.map((r) => r.all[name]?.[i]);
      console.log(
        first.phase.replace(String(base.n), "N").padEnd(30),
        ...cells.map((r) => (r ? rate(r).toFixed(0) : "-").padStart(10)),
        ...others.map((r) => {
          const other = r.all[name]?.[i];
          return (other ? `${((rate(other) / rate(first)) * 100).toFixed(0)} %` : "-").padStart(14);
        }),
      );
    });
  }
}

/**
 * Each size in a process of its own (this script again, with `--n <size> --results <file>`): the
 * product's database client is the process's, bound to one database, and every size gets a fresh
 * database and fresh servers.
 */
function runInChild(n: number): Record<string, Measured[]> {
  const file = path.join(os.tmpdir(), `scim-import-bench-${process.pid}-${n}.json`);
  const args = ["--n", String(n), "--concurrency", String(CONCURRENCY), "--groups", String(GROUPS), "--results", file];
  if (ONLY !== undefined) args.push("--only", ONLY);
  if (flags["no-events"]) args.push("--no-events");
  if (flags.profile !== undefined) args.push("--profile", flags.profile);
  const run = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, ...args], { stdio: "inherit" });
  if (run.status !== 0) throw new Error(`the run at N=${n} failed (status ${run.status})`);
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, Measured[]>;
}

async function main() {
  if (ONLY === undefined || ONLY === "deployed") buildIfStale();
  try {
    if (SIZES.length === 1) {
      const all = await runAt(SIZES[0]!);
      if (flags.results) await writeFile(flags.results, JSON.stringify(all));
    } else {
      printScaling(SIZES.map((n) => ({ n, all: runInChild(n) })));
    }
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    process.exit();
  }
}

void main();
