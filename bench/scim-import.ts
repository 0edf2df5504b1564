/**
 * `npm run bench:scim-import` (tsx bench/scim-import.ts): the Okta-shaped SCIM workload of issue 4,
 * run by one client against two servers on the same embedded PostgreSQL:
 *   - the product: SCIM Import's real request handler (token check, rate limit, provisioning
 *     events included) behind a plain node:http server on 127.0.0.1;
 *   - BoxyHQ Jackson's directory-sync SCIM server (`directorySyncController.requests.handle`)
 *     behind the same kind of node:http server.
 * Phases: create N users, look each up by `userName eq`, deactivate each by PATCH, create 200
 * groups, add members 100 per PATCH, list all users in pages of 100 (each seen exactly once).
 * Flags: --n 20000 --concurrency 8 --groups 200 --only product|jackson.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import { migrateDatabase } from "../src/server/db/migrate";
import { startEmbeddedPostgres, withDatabase } from "../src/server/runtime/embedded-postgres";

const { values: flags } = parseArgs({
  options: { n: { type: "string", default: "20000" }, concurrency: { type: "string", default: "8" }, groups: { type: "string", default: "200" }, only: { type: "string" } },
});
const N = Number(flags.n);
const CONCURRENCY = Number(flags.concurrency);
const GROUPS = Number(flags.groups);
const MEMBERS_PER_PATCH = 100;
const PAGE = 100;

type Target = { name: string; baseUrl: string; token: string };
type PhaseResult = { phase: string; ops: number; seconds: number; p50: number; p99: number; errors: number; note?: string };

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `count` operations with `CONCURRENCY` workers; each returns true on success. */
async function phase(name: string, count: number, op: (i: number) => Promise<boolean>): Promise<PhaseResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, count) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        const t = performance.now();
        const ok = await op(i).catch(() => false);
        latencies.push(performance.now() - t);
        if (!ok) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { phase: name, ops: count, seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors };
}

function client(target: Target) {
  return async (method: string, pathAndQuery: string, body?: unknown): Promise<{ status: number; json: any }> => {
    const res = await fetch(`${target.baseUrl}${pathAndQuery}`, {
      method,
      headers: { Authorization: `Bearer ${target.token}`, "Content-Type": "application/scim+json", "User-Agent": "Okta SCIM Client (bench)" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };
}

/** The workload as steps sharing state, so both servers can run each phase back to back (same machine load). */
function workload(target: Target): (() => Promise<PhaseResult>)[] {
  const call = client(target);
  const userName = (i: number) => `user${i}.${target.name}@bench.example`;
  const ids: string[] = new Array(N);
  const groupIds: string[] = new Array(GROUPS);
  const steps: (() => Promise<PhaseResult>)[] = [];
  steps.push(() =>
    phase("create users", N, async (i) => {
      const res = await call("POST", "/Users", {
        schemas: [USER],
        userName: userName(i),
        externalId: `ext${i}`,
        name: { givenName: `Given${i}`, familyName: `Family${i}` },
        emails: [{ value: userName(i), type: "work", primary: true }],
        displayName: `Given${i} Family${i}`,
        locale: "en-US",
        password: "placeholder",
        groups: [],
        active: true,
      });
      ids[i] = res.json?.id;
      return res.status === 201;
    }),
  );
  steps.push(() =>
    phase("lookup userName eq", N, async (i) => {
      const res = await call("GET", `/Users?filter=${encodeURIComponent(`userName eq "${userName(i)}"`)}&startIndex=1&count=100`);
      return res.status === 200 && res.json?.totalResults === 1;
    }),
  );
  steps.push(() =>
    phase("deactivate (PATCH)", N, async (i) => {
      const res = await call("PATCH", `/Users/${ids[i]}`, { schemas: [PATCH], Operations: [{ op: "replace", value: { active: false } }] });
      return res.status === 200;
    }),
  );
  steps.push(() =>
    phase("create groups", GROUPS, async (i) => {
      const res = await call("POST", "/Groups", { schemas: [GROUP], displayName: `Group ${i} ${target.name}`, members: [] });
      groupIds[i] = res.json?.id;
      return res.status === 201;
    }),
  );
  // Each group gets ceil(N / GROUPS / 100) PATCHes of 100 members, groups growing as they go.
  const perGroup = Math.max(1, Math.ceil(N / GROUPS / MEMBERS_PER_PATCH));
  steps.push(() =>
    phase(`add ${MEMBERS_PER_PATCH} members (PATCH)`, GROUPS * perGroup, async (k) => {
      const group = k % GROUPS;
      const round = Math.floor(k / GROUPS);
      const start = (group * perGroup + round) * MEMBERS_PER_PATCH;
      const value = Array.from({ length: MEMBERS_PER_PATCH }, (_, j) => ({ value: ids[(start + j) % N] }));
      const res = await call("PATCH", `/Groups/${groupIds[group]}`, { schemas: [PATCH], Operations: [{ op: "add", path: "members", value }] });
      return res.status === 204 || res.status === 200;
    }),
  );
  steps.push(async () => {
    const pages = Math.ceil(N / PAGE);
    const seen = new Map<string, number>();
    const listed = await phase(`list users (pages of ${PAGE})`, pages, async (p) => {
      const res = await call("GET", `/Users?startIndex=${p * PAGE + 1}&count=${PAGE}`);
      for (const r of res.json?.Resources ?? []) seen.set(r.id, (seen.get(r.id) ?? 0) + 1);
      return res.status === 200;
    });
    const once = [...seen.values()].filter((c) => c === 1).length;
    listed.note = `${once}/${N} users seen exactly once${seen.size !== N ? `, ${seen.size} distinct` : ""}`;
    return listed;
  });
  return steps;
}

function print(name: string, results: PhaseResult[]) {
  console.log(`\n${name}`);
  console.log("phase".padEnd(30), "ops".padStart(7), "ops/s".padStart(9), "p50 ms".padStart(9), "p99 ms".padStart(9), "errors".padStart(7));
  for (const r of results) {
    console.log(r.phase.padEnd(30), String(r.ops).padStart(7), (r.ops / r.seconds).toFixed(0).padStart(9), r.p50.toFixed(1).padStart(9), r.p99.toFixed(1).padStart(9), String(r.errors).padStart(7), r.note ? ` ${r.note}` : "");
  }
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
  const { DEFAULT_SCIM_IMPORT_CONFIG } = await import("../src/server/scim-import/config");
  const { generateScimToken } = await import("../src/server/scim-import/tokens");
  const { db } = await import("../src/server/db");
  const tenant = await db().tenant.create({ data: { slug: "bench", name: "Bench" } });
  const { token } = await generateScimToken({ tenantId: tenant.id });
  let origin = "";
  const handler = createScimImportHandler({ config: { ...DEFAULT_SCIM_IMPORT_CONFIG, rateLimit: { perSecond: 1e6, burst: 1e6 } }, appUrl: "http://127.0.0.1" });
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", origin);
    const body = req.method === "GET" || req.method === "DELETE" ? undefined : new Uint8Array(await readBody(req));
    const request = new Request(url, { method: req.method, headers: req.headers as Record<string, string>, body });
    const segments = url.pathname.split("/").slice(5).filter(Boolean).map(decodeURIComponent);
    const response = await handler(request, url.pathname.split("/")[4] ?? "", segments);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  origin = await listen(server);
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
    db: { engine: "sql", type: "postgres", url },
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
  const parent = await mkdtemp(path.join(os.tmpdir(), "lc-bench-scim-"));
  await chmod(parent, 0o755);
  const server = await startEmbeddedPostgres({ clusterDir: path.join(parent, "pg"), password: "bench", ephemeral: true });
  const stop = async () => {
    await server.stop().catch(() => {});
    await rm(parent, { recursive: true, force: true }).catch(() => {});
  };
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query("CREATE DATABASE bench");
    await admin.query("CREATE DATABASE jackson");
    await admin.end();
    const url = withDatabase(server.url, "bench");
    await migrateDatabase(url);
    process.env.DATABASE_URL = url;
    process.env.AUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-0";
    process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
    process.env.APP_URL ??= "http://127.0.0.1";
    console.log(`SCIM Import benchmark: N=${N}, ${CONCURRENCY} concurrent clients, ${GROUPS} groups, node ${process.version}, ${os.cpus().length} CPUs`);

    const targets: { target: Target; close: () => void }[] = [];
    if (flags.only !== "jackson") targets.push(await startProduct());
    if (flags.only !== "product") targets.push(await startJackson(withDatabase(server.url, "jackson")));
    const plans = targets.map(({ target }) => ({ name: target.name, steps: workload(target), results: [] as PhaseResult[] }));
    // Phase by phase, each server in turn: both see the same load from whatever else the machine runs.
    for (let i = 0; i < plans[0]!.steps.length; i++) {
      for (const plan of plans) {
        const result = await plan.steps[i]!();
        plan.results.push(result);
        console.log(`[${plan.name}] ${result.phase}: ${(result.ops / result.seconds).toFixed(0)} ops/s`);
      }
    }
    for (const { close } of targets) close();
    const all: Record<string, PhaseResult[]> = Object.fromEntries(plans.map((plan) => [plan.name, plan.results]));
    if (all.product) print("product (SCIM Import)", all.product);
    if (all.jackson) print("Jackson directory sync", all.jackson);
    if (all.product && all.jackson) {
      console.log("\nratio (product ops/s ÷ Jackson ops/s)");
      all.product.forEach((p, i) => {
        const j = all.jackson![i]!;
        console.log(p.phase.padEnd(30), `${(p.ops / p.seconds / (j.ops / j.seconds)).toFixed(2)}×`);
      });
    }
  } finally {
    await stop();
    process.exit(0);
  }
}

void main();
