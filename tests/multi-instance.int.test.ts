/**
 * Three `npm start` servers (scripts/start.ts, each starting the product's server on a production
 * build) on one database: SCIM Import traffic spread over them, syncs requested through each
 * server's own console API (tRPC `scimExport.sync` with a session signed in on that server),
 * Provision on Demand refused (409) there while the sync runs, and the server running the first
 * sync of 300 users killed with SIGKILL in the middle of its users. Shown against the Databricks
 * emulator and the database:
 *   - never two running syncs of the profile (sampled all along, on top of the unique index);
 *   - no user created twice on the target (one POST per user, no 409);
 *   - every change reaches the target, once (the final state, at most one PATCH per changed user
 *     (none when the user was created with it), none for the others);
 *   - the killed server's run is finished by another server.
 * The first run builds the production bundle into .next-multi once (minutes; the servers then find
 * it fresh and none builds); the test itself takes about a minute, most of it the lease (30 s) the
 * killed server leaves behind.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDatabricksEmulator, type DatabricksEmulator } from "@/testing/databricks-emulator";
import { db } from "@/server/db";
import { unique } from "@/testing/factories/directory";
import { setExportAssignedGroups } from "@/server/scim-export";
import { newConfiguredProfile } from "@/testing/factories/scim-export";
import { generateScimToken } from "@/server/scim-import/tokens";
import { signUp } from "@/server/tenancy/accounts";
import { ConsoleHttp } from "@/testing/http/console-http";
import { buildWhenStale, startWithNpmStart, type NpmStartServer } from "@/testing/product-server";

const DIST_DIR = ".next-multi";
const PORTS = [3301, 3302, 3303];
const USERS = 300;
const PASSWORD = "multi instance password 1";

let emulator: DatabricksEmulator;
let servers: NpmStartServer[] = [];
/** Each server's console, signed in there. */
const consoles = new Map<NpmStartServer, ConsoleHttp>();
let tenant: { id: string; slug: string };
let token: string;

beforeAll(async () => {
  buildWhenStale(DIST_DIR);
  // Slow enough that a first sync of 300 users lasts a few seconds: time to kill it in the middle.
  emulator = await startDatabricksEmulator({ latencyMs: 60 });
  const email = `${unique("admin")}@multi.test`;
  const slug = unique("multi");
  await signUp({ email, password: PASSWORD, name: "Admin", tenant: { slug, name: "Multi" } });
  tenant = { slug, id: (await db().tenant.findUniqueOrThrow({ where: { slug }, select: { id: true } })).id };
  token = (await generateScimToken({ tenantId: tenant.id })).token;
  servers = await Promise.all(PORTS.map((port) => startWithNpmStart({ port, distDir: DIST_DIR })));
  for (const server of servers) {
    try {
      consoles.set(server, await ConsoleHttp.signIn(server.url, email, PASSWORD));
    } catch (error) {
      console.error(`${server.url} said:\n${server.output.join("").slice(-4000)}`);
      throw error;
    }
  }
}, 900_000);

afterAll(async () => {
  // What the servers logged about jobs, for a failure's reader.
  for (const server of servers) {
    const lines = server.output
      .join("")
      .split("\n")
      .filter((l) => /Job runner|failed|error/i.test(l));
    if (lines.length) console.error(`${server.url}:\n${lines.slice(-40).join("\n")}`);
  }
  await Promise.all(servers.map((s) => s.stop()));
  await emulator?.stop();
});

const alive = () => servers.filter((s) => s.process.exitCode === null && s.process.signalCode === null);
let turn = 0;
/** One SCIM Import request, to the next live instance in turn. */
async function scim(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const live = alive();
  const server = live[turn++ % live.length]!;
  const response = await fetch(`${server.url}/api/scim/v2/${tenant.slug}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** "Sync" pressed in the console of `server`: the run it queued (or the queued one it reused). */
async function syncOn(server: NpmStartServer, profileId: string): Promise<{ runId: string; alreadyQueued: boolean }> {
  const answer = await consoles.get(server)!.mutation<{ runId: string; alreadyQueued: boolean }>("scimExport.sync", {
    tenantSlug: tenant.slug,
    profileId,
  });
  expect(answer.error, `Sync on ${server.url}`).toBeUndefined();
  return answer.data!;
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

const userBody = (n: number, givenName = `Given${n}`) => ({
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
  userName: `user${n}@multi.test`,
  name: { givenName, familyName: `Family${n}` },
  emails: [{ value: `user${n}@multi.test`, primary: true, type: "work" }],
  active: true,
});

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Not reached in time: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("several instances on one database", () => {
  it(
    "never run a profile's sync twice at once, create nothing twice, and finish the run of a killed instance",
    { timeout: 180_000 },
    async () => {
      // SCIM traffic over the three instances: a group and 300 users, members added 50 per PATCH.
      const group = await scim("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Data" });
      expect(group.status).toBe(201);
      const remoteIds = new Map<number, string>();
      await inBatches(
        Array.from({ length: USERS }, (_, i) => i),
        12,
        async (n) => {
          const created = await scim("POST", "/Users", userBody(n));
          expect(created.status).toBe(201);
          remoteIds.set(n, String(created.body.id));
        },
      );
      const ids = [...remoteIds.values()];
      for (let i = 0; i < ids.length; i += 50) {
        const patched = await scim("PATCH", `/Groups/${group.body.id}`, {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
          Operations: [{ op: "add", path: "members", value: ids.slice(i, i + 50).map((value) => ({ value })) }],
        });
        expect(patched.status).toBeLessThan(300);
      }
      const localGroup = await db().directoryGroup.findFirstOrThrow({
        where: { tenantId: tenant.id, displayName: "Data" },
        select: { id: true },
      });
      const profileId = await newConfiguredProfile(tenant.id, emulator, { concurrency: 4 });

      // Sampled all along: running syncs of the profile (export runs and jobs).
      let sampling = true;
      let maxRunning = 0;
      let maxRunningJobs = 0;
      const sampler = (async () => {
        while (sampling) {
          const [runs, jobs] = await Promise.all([
            db().exportRun.count({ where: { profileId, status: "RUNNING" } }),
            db().jobRun.count({ where: { concurrencyKey: `profile:${profileId}`, status: "RUNNING" } }),
          ]);
          maxRunning = Math.max(maxRunning, runs);
          maxRunningJobs = Math.max(maxRunningJobs, jobs);
          await new Promise((r) => setTimeout(r, 25));
        }
      })();

      try {
        await setExportAssignedGroups({ tenantId: tenant.id, profileId, groupIds: [localGroup.id] });
        // The first sync, requested at once in the consoles of two servers (two admins).
        const [first, again] = await Promise.all([syncOn(servers[0]!, profileId), syncOn(servers[1]!, profileId)]);
        expect(again.runId).toBe(first.runId);

        // Killed in the middle of creating the users: SIGKILL, nothing flushed, nothing closed.
        const job = await waitFor("the first sync creating users", async () => {
          const posts = emulator.requests.filter((r) => r.method === "POST" && r.path.endsWith("/Users")).length;
          if (posts < 30) return null;
          return db().jobRun.findFirst({
            where: { concurrencyKey: `profile:${profileId}`, status: "RUNNING", eventData: { path: ["runId"], equals: first.runId } },
          });
        });
        const killedOwner = job.leaseOwner!;
        const ownerPid = Number(killedOwner.split(":")[1]);
        const victim = servers.find((s) => s.serverPid === ownerPid);
        expect(victim, `the job's owner ${killedOwner} is one of the servers`).toBeDefined();

        await victim!.kill();
        const postsAtKill = emulator.requests.filter((r) => r.method === "POST" && r.path.endsWith("/Users")).length;
        expect(postsAtKill).toBeLessThan(USERS);

        // Provision on Demand in the console of each survivor while the killed server's sync is still running (until a
        // survivor takes it over): refused, 409.
        const someone = await db().directoryUser.findFirstOrThrow({ where: { tenantId: tenant.id }, select: { id: true } });
        for (const server of alive()) {
          const pod = await consoles
            .get(server)!
            .mutation("scimExport.provisionUser", { tenantSlug: tenant.slug, profileId, userId: someone.id });
          expect(pod.status, `Provision on Demand on ${server.url}`).toBe(409);
          expect(pod.error?.message).toMatch(/sync of this profile is running/);
        }
        expect(await db().exportRun.count({ where: { profileId, trigger: "ON_DEMAND" } })).toBe(0);

        // Traffic goes on over the survivors: 20 users renamed, 10 deactivated, 20 new members.
        const renamed = Array.from({ length: 20 }, (_, i) => i * 3);
        const deactivated = Array.from({ length: 10 }, (_, i) => 100 + i * 7);
        await inBatches(renamed, 5, async (n) => {
          expect((await scim("PUT", `/Users/${remoteIds.get(n)}`, { ...userBody(n, `Renamed${n}`), id: remoteIds.get(n) })).status).toBe(
            200,
          );
        });
        await inBatches(deactivated, 5, async (n) => {
          const r = await scim("PATCH", `/Users/${remoteIds.get(n)}`, {
            schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            Operations: [{ op: "replace", value: { active: false } }],
          });
          expect(r.status).toBeLessThan(300);
        });
        const newcomers = Array.from({ length: 20 }, (_, i) => USERS + i);
        await inBatches(newcomers, 5, async (n) => {
          const created = await scim("POST", "/Users", userBody(n));
          remoteIds.set(n, String(created.body.id));
        });
        expect(
          (
            await scim("PATCH", `/Groups/${group.body.id}`, {
              schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
              Operations: [{ op: "add", path: "members", value: newcomers.map((n) => ({ value: remoteIds.get(n) })) }],
            })
          ).status,
        ).toBeLessThan(300);
        // Sync pressed in the console of each surviving server.
        for (const server of alive()) await syncOn(server, profileId);

        // The killed instance's run is taken over (after its lease) and finished elsewhere.
        const finished = await waitFor("the first run finished", async () => {
          const r = await db().exportRun.findUniqueOrThrow({ where: { id: first.runId } });
          return !["QUEUED", "RUNNING"].includes(r.status) && r;
        });
        expect(finished.status).toBe("SUCCEEDED");
        const taken = await waitFor("the first run's job closed", async () => {
          const j = await db().jobRun.findUniqueOrThrow({ where: { id: job.id } });
          return j.status !== "RUNNING" && j;
        });
        expect(taken.status).toBe("COMPLETED");
        expect(taken.leaseOwner).not.toBe(killedOwner);
        expect(taken.attempts).toBeGreaterThanOrEqual(2);

        // Quiet: every change noticed, every run finished.
        await waitFor(
          "all changes synced",
          async () => {
            const [open, profile, latest] = await Promise.all([
              db().exportRun.count({ where: { profileId, status: { in: ["QUEUED", "RUNNING"] } } }),
              db().exportProfile.findUniqueOrThrow({ where: { id: profileId }, select: { syncedChangeId: true } }),
              db().directoryChange.findFirst({ where: { tenantId: tenant.id }, orderBy: { id: "desc" }, select: { id: true } }),
            ]);
            if (open === 0 && profile.syncedChangeId !== null && latest && profile.syncedChangeId < latest.id)
              await syncOn(alive()[0]!, profileId);
            return open === 0 && profile.syncedChangeId !== null && latest && profile.syncedChangeId >= latest.id;
          },
          120_000,
        );
      } finally {
        sampling = false;
        await sampler;
      }

      expect(maxRunning).toBe(1);
      expect(maxRunningJobs).toBe(1);

      // Every user once on the target, created by one POST; no conflict ever.
      const userPosts = emulator.requests.filter((r) => r.method === "POST" && r.path.endsWith("/Users"));
      expect(userPosts.filter((r) => r.status === 409)).toHaveLength(0);
      expect(userPosts.filter((r) => r.status === 201)).toHaveLength(USERS + 20);
      const onTarget = emulator.users();
      expect(onTarget).toHaveLength(USERS + 20);
      for (let n = 0; n < USERS + 20; n++) {
        const user = onTarget.filter((u) => u.userName === `user${n}@multi.test`);
        expect(user, `user${n}`).toHaveLength(1);
      }

      // Every change reached the target, once: at most one PATCH per renamed or deactivated user (none
      // when it was created after the change), none for the others.
      const patchesOf = (remote: { id: string }) =>
        emulator.requests.filter((r) => r.method === "PATCH" && r.path === `/api/2.0/preview/scim/v2/Users/${remote.id}`).length;
      for (const n of Array.from({ length: USERS }, (_, i) => i)) {
        const remote = onTarget.find((u) => u.userName === `user${n}@multi.test`)!;
        const changed = n % 3 === 0 && n < 60 ? 1 : 0;
        const off = n >= 100 && n < 170 && (n - 100) % 7 === 0 ? 1 : 0;
        expect(patchesOf(remote), `PATCHes of user${n}`).toBeLessThanOrEqual(changed + off);
        if (changed) expect(remote.name?.givenName).toBe(`Renamed${n}`);
        expect(remote.active, `user${n} active`).toBe(off === 0);
      }
      const remoteGroup = emulator.groupByName("Data")!;
      const memberNames = new Set([...remoteGroup.members].map((id) => onTarget.find((u) => u.id === id)?.userName));
      const localMembers = await db().groupMember.count({ where: { group: { tenantId: tenant.id, displayName: "Data" } } });
      expect(localMembers).toBe(USERS + 20);
      // Members on the target: the active ones (a deactivated user leaves the target's groups).
      const activeNames = onTarget.filter((u) => u.active).map((u) => u.userName);
      expect(activeNames).toHaveLength(USERS + 20 - 10);
      expect([...memberNames].sort()).toEqual(activeNames.sort());

      // With no sync running, Provision on Demand goes through on a surviving server: the user is right on the target already.
      const user1 = await db().directoryUser.findFirstOrThrow({
        where: { tenantId: tenant.id, userName: "user1@multi.test" },
        select: { id: true },
      });
      const pod = await consoles.get(alive()[0]!)!.mutation<{ outcome: string }>("scimExport.provisionUser", {
        tenantSlug: tenant.slug,
        profileId,
        userId: user1.id,
      });
      expect(pod.status).toBe(200);
      expect(pod.data?.outcome).toBe("unchanged");
    },
  );
});
