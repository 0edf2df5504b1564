/**
 * The SCIM client of `npm run bench:scim-import`, in a process of its own (forked by
 * bench/scim-import.ts): the servers under test do not share an event loop with the load they
 * answer. It speaks plain node:http with keep-alive sockets, one per concurrent client, like an
 * IdP's connection pool. Messages: { start: Setup } once, then { target, step } → PhaseResult.
 */
import http from "node:http";
import { performance } from "node:perf_hooks";

export type Target = { name: string; baseUrl: string; token: string };
export type Setup = { targets: Target[]; n: number; concurrency: number; groups: number };
/** The one-group phase: median latency of the first and the last tenth of its PATCHes (`members` members each tenth). */
export type Growth = { membersPerPatch: number; members: number; finalSize: number; firstP50: number; lastP50: number };
export type PhaseResult = {
  phase: string;
  ops: number;
  seconds: number;
  p50: number;
  p99: number;
  errors: number;
  note?: string;
  growth?: Growth;
};
export type StepRequest = { target: string; step: number };

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const MEMBERS_PER_PATCH = 100;
const PAGE = 100;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `count` operations with `concurrency` workers; each returns true on success. */
async function phase(name: string, count: number, concurrency: number, op: (i: number) => Promise<boolean>): Promise<PhaseResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
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

function client(target: Target, concurrency: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const base = new URL(target.baseUrl);
  return (method: string, pathAndQuery: string, body?: unknown): Promise<{ status: number; json: any }> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(
        {
          agent,
          host: base.hostname,
          port: base.port,
          method,
          path: `${base.pathname}${pathAndQuery}`,
          headers: {
            Authorization: `Bearer ${target.token}`,
            "User-Agent": "Okta SCIM Client (bench)",
            ...(payload === undefined ? {} : { "Content-Type": "application/scim+json", "Content-Length": Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            try {
              resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined });
            } catch (error) {
              reject(error);
            }
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
}

/** The workload as steps sharing state, so the servers can run each phase back to back (same machine load). */
function workload(target: Target, setup: Setup): (() => Promise<PhaseResult>)[] {
  const { n: N, concurrency, groups: GROUPS } = setup;
  const call = client(target, concurrency);
  const userName = (i: number) => `user${i}.${target.name}@bench.example`;
  const ids: string[] = new Array(N);
  const groupIds: string[] = new Array(GROUPS);
  const run = (name: string, count: number, op: (i: number) => Promise<boolean>) => phase(name, count, concurrency, op);
  const steps: (() => Promise<PhaseResult>)[] = [];
  steps.push(() =>
    run("create users", N, async (i) => {
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
    run("lookup userName eq", N, async (i) => {
      const res = await call("GET", `/Users?filter=${encodeURIComponent(`userName eq "${userName(i)}"`)}&startIndex=1&count=100`);
      return res.status === 200 && res.json?.totalResults === 1;
    }),
  );
  steps.push(() =>
    run("deactivate (PATCH)", N, async (i) => {
      const res = await call("PATCH", `/Users/${ids[i]}`, { schemas: [PATCH], Operations: [{ op: "replace", value: { active: false } }] });
      return res.status === 200;
    }),
  );
  steps.push(() =>
    run("create groups", GROUPS, async (i) => {
      const res = await call("POST", "/Groups", { schemas: [GROUP], displayName: `Group ${i} ${target.name}`, members: [] });
      groupIds[i] = res.json?.id;
      return res.status === 201;
    }),
  );
  // Each group gets ceil(N / GROUPS / 100) PATCHes of 100 members, groups growing as they go.
  const perGroup = Math.max(1, Math.ceil(N / GROUPS / MEMBERS_PER_PATCH));
  steps.push(() =>
    run(`add ${MEMBERS_PER_PATCH} members (PATCH)`, GROUPS * perGroup, async (k) => {
      const group = k % GROUPS;
      const round = Math.floor(k / GROUPS);
      const start = (group * perGroup + round) * MEMBERS_PER_PATCH;
      const value = Array.from({ length: MEMBERS_PER_PATCH }, (_, j) => ({ value: ids[(start + j) % N] }));
      const res = await call("PATCH", `/Groups/${groupIds[group]}`, {
        schemas: [PATCH],
        Operations: [{ op: "add", path: "members", value }],
      });
      return res.status === 204 || res.status === 200;
    }),
  );
  steps.push(async () => {
    const pages = Math.ceil(N / PAGE);
    const seen = new Map<string, number>();
    const listed = await run(`list users (pages of ${PAGE})`, pages, async (p) => {
      const res = await call("GET", `/Users?startIndex=${p * PAGE + 1}&count=${PAGE}`);
      for (const r of res.json?.Resources ?? []) seen.set(r.id, (seen.get(r.id) ?? 0) + 1);
      return res.status === 200 && (res.json?.Resources?.length ?? 0) === Math.min(PAGE, N - p * PAGE);
    });
    const once = [...seen.values()].filter((c) => c === 1).length;
    listed.note = `${once}/${N} users seen exactly once${seen.size !== N ? `, ${seen.size} distinct` : ""}`;
    return listed;
  });
  // One client grows one group to all N users, 100 per PATCH: does a PATCH cost the same into a
  // group of 100 as into a group of N (latency alone, no other request waiting)?
  steps.push(async () => {
    const created = await call("POST", "/Groups", { schemas: [GROUP], displayName: `Everyone ${target.name}`, members: [] });
    const groupId = created.json?.id;
    const patches = Math.ceil(N / MEMBERS_PER_PATCH);
    const latencies: number[] = [];
    const grown = await phase(`one group to ${N}, 1 client`, patches, 1, async (k) => {
      const value = ids.slice(k * MEMBERS_PER_PATCH, (k + 1) * MEMBERS_PER_PATCH).map((id) => ({ value: id }));
      const t = performance.now();
      const res = await call("PATCH", `/Groups/${groupId}`, { schemas: [PATCH], Operations: [{ op: "add", path: "members", value }] });
      latencies.push(performance.now() - t);
      return res.status === 204 || res.status === 200;
    });
    const tenth = Math.max(1, Math.floor(latencies.length / 10));
    const median = (values: number[]) =>
      percentile(
        [...values].sort((a, b) => a - b),
        50,
      );
    grown.growth = {
      membersPerPatch: MEMBERS_PER_PATCH,
      members: tenth * MEMBERS_PER_PATCH,
      finalSize: N,
      firstP50: median(latencies.slice(0, tenth)),
      lastP50: median(latencies.slice(-tenth)),
    };
    grown.note = `p50 into the first ${grown.growth.members} members: ${grown.growth.firstP50.toFixed(1)} ms, into the last ${grown.growth.members}: ${grown.growth.lastP50.toFixed(1)} ms`;
    return grown;
  });
  return steps;
}

let plans: Map<string, (() => Promise<PhaseResult>)[]> | undefined;

process.on("message", (message: { start: Setup } | StepRequest) => {
  if ("start" in message) {
    const setup = message.start;
    plans = new Map(setup.targets.map((target) => [target.name, workload(target, setup)]));
    process.send!({ ready: true });
    return;
  }
  const step = plans?.get(message.target)?.[message.step];
  if (!step) throw new Error(`no step ${message.step} for ${message.target}`);
  void step().then((result) => process.send!(result));
});
