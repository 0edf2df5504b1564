import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startDatabricksEmulator, type DatabricksEmulator } from "@/testing/databricks-emulator";
import { db } from "../db";
import { addGroupMembers } from "../directory";
import { requestExportSync } from "../scim-export";
import { FAST_RETRIES, newConfiguredProfile, newGroupWithUsers, newTenant, newUser } from "../../testing/factories/scim-export";
import { exportJobsWith } from "../scim-export/jobs";
import { enqueueJob, startRunner, type RunnerTuning } from "./runner";

let emulator: DatabricksEmulator;
beforeAll(async () => {
  emulator = await startDatabricksEmulator();
});
afterAll(() => emulator.stop());

// The production ratio (the change poll as frequent as the debounce) is what once kept a change job waiting forever.
const tuning: Partial<RunnerTuning> = {
  pollMs: 100,
  debounceMs: 300,
  retryBaseMs: 20,
  leaseMs: 1500,
  heartbeatMs: 500,
  periodicMs: { "scim-export-change-poll": 300 },
};

async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, tries = 300): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await fn();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("condition not reached");
}

describe("jobs", () => {
  it("the in-process runner runs queued syncs, one per profile, and picks up directory changes (debounced)", async () => {
    const tenant = await newTenant();
    const { group } = await newGroupWithUsers(tenant.id, 3);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });
    await db().exportProfile.update({ where: { id: profileId }, data: { changeWatermark: BigInt(Number.MAX_SAFE_INTEGER) } });
    const runner = startRunner({
      registry: exportJobsWith({ clientRetries: FAST_RETRIES }),
      tuning,
      periodic: ["scim-export-change-poll"],
    });
    try {
      const { runId } = await requestExportSync({ tenantId: tenant.id, profileId });
      const again = await requestExportSync({ tenantId: tenant.id, profileId });
      expect(again.runId === runId || !again.alreadyQueued).toBe(true);
      await waitFor(async () => (await db().exportRun.findUniqueOrThrow({ where: { id: runId } })).status === "SUCCEEDED");
      // The second request may have queued a run of its own (the first had started): it must not carry the change below.
      await waitFor(async () => (await db().exportRun.count({ where: { profileId, status: { in: ["QUEUED", "RUNNING"] } } })) === 0);

      // A console change to an in-scope group reaches the target without anyone pressing Sync.
      await db().exportProfile.update({ where: { id: profileId }, data: { changeWatermark: 0 } });
      const newcomer = await newUser(tenant.id);
      await addGroupMembers({ tenantId: tenant.id, groupId: group.id, source: "SCIM", userIds: [newcomer.id] });
      await waitFor(async () =>
        emulator.groupByName(group.displayName)?.members.includes(emulator.userByName(newcomer.userName)?.id ?? "-"),
      );
      const changeRuns = await db().exportRun.findMany({ where: { profileId, trigger: "CHANGE" } });
      expect(changeRuns.length).toBeGreaterThanOrEqual(1);
      // Change-triggered runs look only at what changed: the newcomer, never the 3 other members.
      for (const run of changeRuns) {
        expect(run.mode).toBe("incremental");
        expect((run.stats as Record<string, number>).usersMapped ?? 0).toBeLessThanOrEqual(1);
      }
    } finally {
      await runner.stop();
    }
  });

  it("debounce: the change poll never pushes a waiting job back; explicit bursts push it back at most to 3× the period", async () => {
    const key = `changes:test-${Date.now()}`;
    const id = await enqueueJob(
      "scim-export-directory-changed",
      "directory/changed",
      { tenantId: "x" },
      { concurrencyKey: key, debounceMs: 60_000, extendDebounce: false },
    );
    const first = await db().jobRun.findUniqueOrThrow({ where: { id } });
    // Later enqueues come at a later time, moved by the test (Date only; timers and I/O stay real): a push-back would show.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 5_000);
      expect(
        await enqueueJob(
          "scim-export-directory-changed",
          "directory/changed",
          { tenantId: "x" },
          { concurrencyKey: key, debounceMs: 60_000, extendDebounce: false },
        ),
      ).toBe(id);
      expect((await db().jobRun.findUniqueOrThrow({ where: { id } })).runAfter).toEqual(first.runAfter);
      for (let i = 0; i < 3; i++)
        await enqueueJob(
          "scim-export-directory-changed",
          "directory/changed",
          { tenantId: "x" },
          { concurrencyKey: key, debounceMs: 60_000 },
        );
    } finally {
      vi.useRealTimers();
    }
    const pushed = await db().jobRun.findUniqueOrThrow({ where: { id } });
    expect(pushed.runAfter.getTime()).toBeGreaterThan(first.runAfter.getTime());
    expect(pushed.runAfter.getTime()).toBeLessThanOrEqual(first.createdAt.getTime() + 180_000);
    await db().jobRun.delete({ where: { id } });
  });

  it("a job cut off mid-run (lease expired) resumes after its finished steps and converges", async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 3);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });
    const run = await db().exportRun.create({ data: { tenantId: tenant.id, profileId, trigger: "MANUAL" }, select: { id: true } });
    // A previous process finished "start", then died while creating users (one reached the target, its answer was lost).
    const job = await db().jobRun.create({
      data: {
        functionId: "scim-export-sync",
        eventName: "scim-export/sync.requested",
        eventData: { tenantId: tenant.id, profileId, runId: run.id },
        concurrencyKey: `profile:${profileId}`,
        status: "RUNNING",
        attempts: 1,
        leaseUntil: new Date(Date.now() - 1000),
      },
      select: { id: true },
    });
    await db().jobStep.create({ data: { runId: job.id, stepId: "start", output: { proceed: true } } });
    await db().exportRun.update({ where: { id: run.id }, data: { status: "RUNNING", startedAt: new Date() } });
    emulator.seedUser({ userName: users[0]!.userName.toLowerCase() });
    const runner = startRunner({ registry: exportJobsWith({ clientRetries: FAST_RETRIES }), tuning, periodic: false });
    const done = await waitFor(async () => {
      const r = await db().exportRun.findUniqueOrThrow({ where: { id: run.id } });
      return r.status !== "RUNNING" && r;
    }).finally(() => runner.stop());
    expect(done.status).toBe("SUCCEEDED");
    for (const u of users) expect(emulator.users().filter((r) => r.userName === u.userName.toLowerCase())).toHaveLength(1);
    expect(await db().jobStep.count({ where: { runId: job.id } })).toBeGreaterThan(3);
  });
});
