import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDatabricksEmulator, type DatabricksEmulator } from "@/testing/databricks-emulator";
import { db } from "../db";
import { newConfiguredProfile, newGroupWithUsers, newTenant, syncNow } from "../../testing/factories/scim-export";

let emulator: DatabricksEmulator;
beforeAll(async () => {
  emulator = await startDatabricksEmulator({ retryAfterShare: 0.1 });
});
afterAll(() => emulator.stop());

/** The target holds exactly the desired state: every user once, active, each group with exactly its members. */
async function expectConverged(tenantId: string, groups: { group: { displayName: string }; users: { userName: string }[] }[]) {
  for (const { group, users } of groups) {
    const remote = emulator.groupByName(group.displayName)!;
    expect(remote).toBeDefined();
    const ids = users.map((u) => {
      const matches = emulator.users().filter((r) => r.userName === u.userName.toLowerCase());
      expect(matches).toHaveLength(1);
      return matches[0]!.id;
    });
    expect([...remote.members].sort()).toEqual(ids.sort());
  }
  expect(emulator.groups().length).toBe(new Set(emulator.groups().map((g) => g.displayName.toLowerCase())).size);
  expect(emulator.counters.valueFormRemoves).toBe(0);
  void tenantId;
}

describe("faults", () => {
  it("with 5% 5xx, 2% resets and 2% 429s, one run converges exactly", async () => {
    const tenant = await newTenant();
    const a = await newGroupWithUsers(tenant.id, 40);
    const b = await newGroupWithUsers(tenant.id, 20);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [a.group.id, b.group.id], concurrency: 8 });
    emulator.setFaults({ serverErrorRate: 0.05, resetRate: 0.02, throttleRate: 0.02 });
    try {
      const run = await syncNow(tenant.id, profileId);
      expect(run.status).toBe("SUCCEEDED");
      await expectConverged(tenant.id, [a, b]);
      expect(emulator.counters.faults + emulator.counters.throttled).toBeGreaterThan(0);
      const stats = run.stats as Record<string, number>;
      expect(stats.retries).toBeGreaterThan(0);
    } finally {
      emulator.setFaults({});
    }
  });

  it("an outage stops the run early; the next run converges", async () => {
    const tenant = await newTenant();
    const a = await newGroupWithUsers(tenant.id, 30);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [a.group.id] });
    emulator.setFaults({ outage: { from: Date.now(), to: Date.now() + 60_000, mode: "503" } });
    const failed = await syncNow(tenant.id, profileId);
    expect(failed.status).toBe("FAILED");
    expect(failed.message).toMatch(/unavailable/);
    // An outage is not the admin's fault: no quarantine.
    expect((await db().exportProfile.findUniqueOrThrow({ where: { id: profileId } })).consecutiveFailures).toBe(0);
    emulator.setFaults({});
    const next = await syncNow(tenant.id, profileId);
    expect(next.status).toBe("SUCCEEDED");
    await expectConverged(tenant.id, [a]);
  });
});
