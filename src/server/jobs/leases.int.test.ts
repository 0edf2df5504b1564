/**
 * The in-process runner's rules for N instances on one database, each shown against real
 * PostgreSQL: one running job per key, fenced writes after a takeover, a lost heartbeat stopping
 * the execution, one tick per period, atomic sync requests and scheduler claims, Provision on
 * Demand under the profile's key, and a resumed users chunk that adopts instead of re-creating.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDatabricksEmulator, type DatabricksEmulator } from "@/testing/databricks-emulator";
import { db } from "../db";
import { provisionUserOnDemand, requestExportSync } from "../scim-export";
import { finishRun, inlineSteps, runExportSync, type StepRunner } from "../scim-export/engine/sync";
import { exportJobsWith, profileKey, queueDueProfiles, SYNC_FUNCTION_ID } from "../scim-export/jobs";
import { FAST_RETRIES, newConfiguredProfile, newGroupWithUsers, newTenant } from "../../testing/factories/scim-export";
import { claimJob, recordStep } from "./job-store";
import { LeaseLostError } from "./lease";
import { takeTick } from "./periodic";
import { startRunner } from "./runner";

let emulator: DatabricksEmulator;
beforeAll(async () => {
  emulator = await startDatabricksEmulator();
});
afterAll(() => emulator.stop());

async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, tries = 300): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await fn();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("condition not reached");
}

async function queuedSyncJob(
  tenantId: string,
  profileId: string,
  runId: string,
  extra: { status?: "QUEUED" | "RUNNING"; attempts?: number; expired?: boolean } = {},
) {
  return db().jobRun.create({
    data: {
      functionId: SYNC_FUNCTION_ID,
      eventName: "scim-export/sync.requested",
      eventData: { tenantId, profileId, runId },
      concurrencyKey: profileKey(profileId),
      status: extra.status ?? "QUEUED",
      attempts: extra.attempts ?? 0,
      leaseUntil: extra.expired ? new Date(Date.now() - 60_000) : null,
    },
    select: { id: true },
  });
}

/** The tests share one database: a runner or a claim must see only the jobs of the test at hand. */
const clearJobs = () => db().jobRun.deleteMany({});

const posts = (em: DatabricksEmulator, status?: number) =>
  em.requests.filter((r) => r.method === "POST" && r.path.endsWith("/Users") && (status === undefined || r.status === status)).length;

describe("the in-process runner on N instances", () => {
  it("one RUNNING job per concurrency key is a rule of the database: of many simultaneous claims, one wins", async () => {
    const key = `profile:test-${Date.now()}`;
    const jobs = ["a", "b", "c"].map((name) =>
      db().jobRun.create({
        data: { functionId: "test-fn", eventName: "test", eventData: { name }, concurrencyKey: key },
        select: { id: true },
      }),
    );
    await Promise.all(jobs);
    const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => claimJob(`instance-${i}`, 30_000, ["test-fn"])));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await db().jobRun.count({ where: { concurrencyKey: key, status: "RUNNING" } })).toBe(1);
    // Not only the claim statement: any second RUNNING row of the key is refused.
    await expect(
      db().jobRun.create({ data: { functionId: "test-fn", eventName: "test", eventData: {}, concurrencyKey: key, status: "RUNNING" } }),
    ).rejects.toThrow();
    await db().jobRun.deleteMany({ where: { concurrencyKey: key } });
  });

  it("a job waiting for its retry keeps its key: a job of the key that never started is not claimed before it", async () => {
    const key = `profile:retry-${Date.now()}`;
    const retrying = await db().jobRun.create({
      data: {
        functionId: "test-fn",
        eventName: "test",
        eventData: {},
        concurrencyKey: key,
        attempts: 1,
        runAfter: new Date(Date.now() + 60_000),
      },
      select: { id: true },
    });
    await db().jobRun.create({
      data: { functionId: "test-fn", eventName: "test", eventData: {}, concurrencyKey: key },
      select: { id: true },
    });
    expect(await claimJob("instance-a", 30_000, ["test-fn"])).toBeNull();
    // Its time come, the retry runs first; the fresh job after it.
    await db().jobRun.update({ where: { id: retrying.id }, data: { runAfter: new Date(Date.now() - 1000) } });
    expect((await claimJob("instance-a", 30_000, ["test-fn"]))?.id).toBe(retrying.id);
    await db().jobRun.deleteMany({ where: { concurrencyKey: key } });
  });

  it("an execution whose lease was taken over can neither record a step nor finish the run", async () => {
    const tenant = await newTenant();
    const { group } = await newGroupWithUsers(tenant.id, 1);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });
    const run = await db().exportRun.create({
      data: { tenantId: tenant.id, profileId, trigger: "MANUAL", status: "RUNNING", startedAt: new Date() },
      select: { id: true },
    });
    const job = await queuedSyncJob(tenant.id, profileId, run.id);
    const first = (await claimJob("instance-a", 30_000, [SYNC_FUNCTION_ID]))!;
    expect(first.id).toBe(job.id);
    // Instance a stalls past its lease; instance b takes the job over.
    await db().jobRun.update({ where: { id: job.id }, data: { leaseUntil: new Date(Date.now() - 1000) } });
    const second = (await claimJob("instance-b", 30_000, [SYNC_FUNCTION_ID]))!;
    expect(second.id).toBe(job.id);
    expect(second.token).not.toBe(first.token);
    expect((await db().jobRun.findUniqueOrThrow({ where: { id: job.id } })).leaseOwner).toBe("instance-b");

    const staleFence = { jobId: job.id, token: first.token };
    await expect(recordStep(staleFence, "users-0", { fatal: null })).rejects.toBeInstanceOf(LeaseLostError);
    await expect(
      finishRun({ tenantId: tenant.id, profileId, runId: run.id }, { fatal: null, quarantinable: false }, staleFence),
    ).rejects.toBeInstanceOf(LeaseLostError);
    expect(await db().jobStep.count({ where: { runId: job.id } })).toBe(0);
    expect((await db().exportRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("RUNNING");

    // The holder can.
    const fence = { jobId: job.id, token: second.token };
    await recordStep(fence, "users-0", { fatal: null });
    expect((await finishRun({ tenantId: tenant.id, profileId, runId: run.id }, { fatal: null, quarantinable: false }, fence)).status).toBe(
      "SUCCEEDED",
    );
    await db().jobRun.delete({ where: { id: job.id } });
  });

  it("a heartbeat that finds the lease taken over stops the execution at its next request, and it closes nothing", async () => {
    const slow = await startDatabricksEmulator({ latencyMs: 40 });
    await clearJobs();
    try {
      const tenant = await newTenant();
      const { group } = await newGroupWithUsers(tenant.id, 60);
      const profileId = await newConfiguredProfile(tenant.id, slow, { groupIds: [group.id], concurrency: 1 });
      const runner = startRunner({
        registry: exportJobsWith({ clientRetries: FAST_RETRIES }),
        tuning: { pollMs: 50, heartbeatMs: 100, leaseMs: 5_000 },
        periodic: false,
        owner: "instance-a",
      });
      try {
        const { runId } = await requestExportSync({ tenantId: tenant.id, profileId });
        await waitFor(async () => posts(slow) >= 3);
        // Another instance takes the job over (as after a stall past the lease): a new token.
        await db()
          .$executeRaw`UPDATE "JobRun" SET "leaseToken" = gen_random_uuid(), "leaseOwner" = 'instance-b' WHERE "eventData"->>'runId' = ${runId}`;
        await runner.idle();
        const sentAfterStop = slow.requests.length;
        // The one fixed wait: it proves an absence (no request after the execution stopped), which no
        // condition can signal; 300 ms is several times the workers' gap between two requests.
        await new Promise((r) => setTimeout(r, 300));
        expect(slow.requests.length).toBe(sentAfterStop);
        expect(posts(slow)).toBeLessThan(60);
        const job = await db().jobRun.findFirstOrThrow({ where: { concurrencyKey: profileKey(profileId) } });
        expect(job).toMatchObject({ status: "RUNNING", leaseOwner: "instance-b" });
        expect((await db().exportRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe("RUNNING");
      } finally {
        await runner.stop();
      }
    } finally {
      await slow.stop();
      await clearJobs();
    }
  });

  it("links and operation rows an execution buffered are refused once its lease is taken over, before any heartbeat notices", async () => {
    const slow = await startDatabricksEmulator({ latencyMs: 30 });
    await clearJobs();
    try {
      const tenant = await newTenant();
      const { group } = await newGroupWithUsers(tenant.id, 40);
      const profileId = await newConfiguredProfile(tenant.id, slow, { groupIds: [group.id], concurrency: 2 });
      // No heartbeat during the test: only the fence in the write itself can catch the takeover.
      const runner = startRunner({
        registry: exportJobsWith({ clientRetries: FAST_RETRIES }),
        tuning: { pollMs: 50, heartbeatMs: 600_000, leaseMs: 600_000 },
        periodic: false,
        owner: "instance-a",
      });
      try {
        const { runId } = await requestExportSync({ tenantId: tenant.id, profileId });
        await waitFor(async () => posts(slow) >= 3);
        // Instance b takes the job over while a's users are created and their links buffered.
        await db()
          .$executeRaw`UPDATE "JobRun" SET "leaseToken" = gen_random_uuid(), "leaseOwner" = 'instance-b' WHERE "eventData"->>'runId' = ${runId}`;
        const linksAtTakeover = await db().exportLink.count({ where: { profileId, objectType: "USER" } });
        const operationsAtTakeover = await db().exportOperation.count({ where: { runId, objectType: "USER" } });
        await runner.idle();
        expect(posts(slow)).toBeGreaterThan(3);
        expect(await db().exportLink.count({ where: { profileId, objectType: "USER" } })).toBe(linksAtTakeover);
        expect(await db().exportOperation.count({ where: { runId, objectType: "USER" } })).toBe(operationsAtTakeover);
        expect((await db().exportRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe("RUNNING");
      } finally {
        await runner.stop();
      }
    } finally {
      await slow.stop();
      await clearJobs();
    }
  });

  it("startRun refuses a run already running for another execution", async () => {
    const tenant = await newTenant();
    const { group } = await newGroupWithUsers(tenant.id, 2);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });
    const run = await db().exportRun.create({
      data: { tenantId: tenant.id, profileId, trigger: "MANUAL", status: "RUNNING", owner: "job-1", startedAt: new Date() },
      select: { id: true },
    });
    const before = emulator.requests.length;
    expect(
      await runExportSync({ tenantId: tenant.id, profileId, runId: run.id }, inlineSteps, { owner: "job-2", retries: FAST_RETRIES }),
    ).toEqual({
      status: "skipped",
    });
    expect(emulator.requests.length).toBe(before);
    // Its own execution resuming it goes on.
    expect(
      (await runExportSync({ tenantId: tenant.id, profileId, runId: run.id }, inlineSteps, { owner: "job-1", retries: FAST_RETRIES }))
        .status,
    ).toBe("SUCCEEDED");
  });

  it("simultaneous sync requests of a profile queue one run", async () => {
    const tenant = await newTenant();
    const profileId = await newConfiguredProfile(tenant.id, emulator);
    const answers = await Promise.all(Array.from({ length: 8 }, () => requestExportSync({ tenantId: tenant.id, profileId })));
    expect(new Set(answers.map((a) => a.runId)).size).toBe(1);
    expect(answers.filter((a) => !a.alreadyQueued)).toHaveLength(1);
    expect(await db().exportRun.count({ where: { profileId } })).toBe(1);
  });

  it("scheduler ticks on several instances at once queue a due profile once", async () => {
    const tenant = await newTenant();
    const profileId = await newConfiguredProfile(tenant.id, emulator);
    await db().exportProfile.update({ where: { id: profileId }, data: { nextSyncAt: new Date(Date.now() - 1000) } });
    await Promise.all(Array.from({ length: 4 }, () => queueDueProfiles()));
    expect(await db().exportRun.count({ where: { profileId, trigger: "SCHEDULE" } })).toBe(1);
    expect((await db().exportProfile.findUniqueOrThrow({ where: { id: profileId } })).nextSyncAt!.getTime()).toBeGreaterThan(
      Date.now() + 30 * 60_000,
    );
  });

  it("a periodic task ticks once per period across instances", async () => {
    const name = `test-task-${Date.now()}`;
    const taken = await Promise.all(Array.from({ length: 6 }, (_, i) => takeTick(name, 60_000, `instance-${i}`)));
    expect(taken.filter(Boolean)).toHaveLength(1);
    expect(await takeTick(name, 60_000, "instance-0")).toBe(false);
  });

  it("Provision on Demand runs under the profile's key: refused while a sync of the profile runs, and a queued sync waits for it", async () => {
    await clearJobs();
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 1);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });
    const run = await db().exportRun.create({ data: { tenantId: tenant.id, profileId, trigger: "MANUAL" }, select: { id: true } });
    const job = await queuedSyncJob(tenant.id, profileId, run.id);
    expect((await claimJob("instance-a", 30_000, [SYNC_FUNCTION_ID]))?.id).toBe(job.id);
    await expect(provisionUserOnDemand({ tenantId: tenant.id, profileId, userId: users[0]!.id })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect(await db().exportRun.count({ where: { profileId, trigger: "ON_DEMAND" } })).toBe(0);
    await db().jobRun.delete({ where: { id: job.id } });

    // While Provision on Demand holds the profile, a queued sync is not claimed.
    let claimedDuring: unknown = "not tried";
    const next = await queuedSyncJob(tenant.id, profileId, run.id);
    emulator.options.beforeApply = () => {
      emulator.options.beforeApply = undefined;
      void claimJob("instance-b", 30_000, [SYNC_FUNCTION_ID]).then((c) => (claimedDuring = c));
    };
    const result = await provisionUserOnDemand({ tenantId: tenant.id, profileId, userId: users[0]!.id });
    expect(result.outcome).toBe("created");
    await waitFor(async () => claimedDuring !== "not tried");
    expect(claimedDuring).toBeNull();
    expect(
      (await db().jobRun.findMany({ where: { concurrencyKey: profileKey(profileId), functionId: "scim-export-provision-on-demand" } })).map(
        (j) => j.status,
      ),
    ).toEqual(["COMPLETED"]);
    await db().jobRun.delete({ where: { id: next.id } });
  });

  it("a users chunk resumed after a crash adopts the users the dead instance created but never linked: no duplicate create, no conflict", async () => {
    await clearJobs();
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 12);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });
    const { runId } = await requestExportSync({ tenantId: tenant.id, profileId });
    const job = await db().jobRun.findFirstOrThrow({ where: { concurrencyKey: profileKey(profileId) }, select: { id: true } });
    // The first instance ran the stages up to the users, recorded them, then died inside users-0
    // after creating 7 users on the target: their links were still in its memory.
    const untilUsers: StepRunner = {
      async run(id, fn) {
        if (id === "users-0") throw new Error("killed");
        const output = await fn();
        await db().jobStep.create({ data: { runId: job.id, stepId: id, output: JSON.parse(JSON.stringify(output ?? null)) } });
        return output;
      },
    };
    await expect(
      runExportSync({ tenantId: tenant.id, profileId, runId }, untilUsers, { owner: job.id, retries: FAST_RETRIES }),
    ).rejects.toThrow("killed");
    for (const u of users.slice(0, 7)) emulator.seedUser({ userName: u.userName.toLowerCase() });
    await db().jobRun.update({
      where: { id: job.id },
      data: { status: "RUNNING", attempts: 1, leaseUntil: new Date(Date.now() - 1000), leaseOwner: "dead-instance" },
    });
    const conflictsBefore = posts(emulator, 409);
    const createsBefore = posts(emulator, 201);

    const runner = startRunner({ registry: exportJobsWith({ clientRetries: FAST_RETRIES }), tuning: { pollMs: 50 }, periodic: false });
    const done = await waitFor(async () => {
      const r = await db().exportRun.findUniqueOrThrow({ where: { id: runId } });
      return r.status !== "RUNNING" && r.status !== "QUEUED" && r;
    }).finally(() => runner.stop());
    expect(done.status).toBe("SUCCEEDED");
    expect(posts(emulator, 409) - conflictsBefore).toBe(0);
    expect(posts(emulator, 201) - createsBefore).toBe(5);
    for (const u of users) expect(emulator.users().filter((r) => r.userName === u.userName.toLowerCase())).toHaveLength(1);
  });
});
