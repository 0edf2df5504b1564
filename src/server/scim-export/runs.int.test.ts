/**
 * Issue 14, item 4: runs say what happened, against the Databricks emulator. A failed run never
 * reads "up to date"; member counts are per group and count members; a single-user provision names
 * the user in the runs list.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startDatabricksEmulator, type DatabricksEmulator } from "@/testing/databricks-emulator";
import { newConfiguredProfile, newGroupWithUsers, newTenant, syncNow } from "../../testing/factories/scim-export";
import { getExportRun, listExportRuns, provisionUserOnDemand } from "./index";

let emulator: DatabricksEmulator;
beforeAll(async () => {
  emulator = await startDatabricksEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.restart();
  emulator.setFaults({});
});

describe("run summaries", () => {
  it("a first sync counts members per group: '18 members added to <group>', not one per PATCH", async () => {
    const tenant = await newTenant();
    const { group } = await newGroupWithUsers(tenant.id, 18);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });
    const run = await syncNow(tenant.id, profileId);
    expect(run.status).toBe("SUCCEEDED");

    const summary = await getExportRun({ tenantId: tenant.id, runId: run.id });
    expect(summary.memberChanges).toEqual([{ group: group.displayName, added: 18, removed: 0, failed: 0 }]);
    expect(summary.changes.map((c) => c.text)).toEqual(["18 users created", "1 group created", `18 members added to ${group.displayName}`]);
    expect(summary.outcome).toBe(`18 users created, 1 group created and 18 members added to ${group.displayName}.`);
    // The stored message (the CLI prints it) uses the same words.
    expect(run.message).toBe(`18 users created, 1 group created and 18 members added to ${group.displayName}.`);

    const [listed] = (await listExportRuns({ tenantId: tenant.id, profileId })).items;
    expect(listed!.changes.map((c) => c.text)).toContain(`18 members added to ${group.displayName}`);

    // Nothing left to do: only now may a run say so.
    const idle = await syncNow(tenant.id, profileId);
    const idleSummary = await getExportRun({ tenantId: tenant.id, runId: idle.id });
    expect(idleSummary.status).toBe("SUCCEEDED");
    expect(idleSummary.changes).toEqual([]);
    expect(idleSummary.outcome).toMatch(/^Nothing to change/);
  });

  it("a run refused by the target (401) says it failed and that nothing reached the target — never 'up to date'", async () => {
    const tenant = await newTenant();
    const { group } = await newGroupWithUsers(tenant.id, 2);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id], token: "dapi-revoked-token" });
    const run = await syncNow(tenant.id, profileId);
    expect(run.status).toBe("FAILED");

    const summary = await getExportRun({ tenantId: tenant.id, runId: run.id });
    expect(summary.outcome).toMatch(/^Failed: .*401.* No change was made on the target\.$/);
    expect(summary.outcome).not.toMatch(/up to date|nothing to change/i);
    expect(summary.changes).toEqual([]);
  });

  /** A profile whose target fails from the first request about groups on, once the users are in. */
  async function cutOffAfterUsers(groups: number, faults: Parameters<DatabricksEmulator["setFaults"]>[0]) {
    const tenant = await newTenant();
    const groupIds: string[] = [];
    for (let i = 0; i < groups; i++) groupIds.push((await newGroupWithUsers(tenant.id, 1)).group.id);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds, concurrency: 1 });
    emulator.setBeforeApply(({ path }) => {
      if (path.includes("/Groups")) emulator.setFaults(faults);
    });
    const run = await syncNow(tenant.id, profileId);
    emulator.setBeforeApply(undefined);
    emulator.setFaults({});
    return getExportRun({ tenantId: tenant.id, runId: run.id });
  }

  it("a run stopped by a target gone down says what it got through before it stopped, never 'up to date'", async () => {
    // Every connection reset: past five objects in a row the run stops (the target is down).
    const summary = await cutOffAfterUsers(6, { outage: { from: Date.now(), to: Date.now() + 3_600_000, mode: "reset" } });
    expect(summary.status).toBe("FAILED");
    expect(summary.outcome).toMatch(/^Failed: The target is unavailable: .* Before it stopped: 6 users created\.$/);
  });

  it("a run that ends with errors counts them and says what it did, never 'up to date'", async () => {
    const summary = await cutOffAfterUsers(1, { serverErrorRate: 1 });
    expect(summary.status).toBe("PARTIAL");
    expect(summary.outcome).toBe("Completed with 1 error (see the failed operations below); 1 user created.");
    expect(summary.changes.map((c) => c.text)).toEqual(["1 user created", "1 group could not be created"]);
  });

  it("Provision on Demand of one user names the user in the runs list", async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 2);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });
    const one = users[1]!;
    const { runId } = await provisionUserOnDemand({ tenantId: tenant.id, profileId, userId: one.id });

    const runs = await listExportRuns({ tenantId: tenant.id, profileId });
    const listed = runs.items.find((r) => r.id === runId)!;
    expect(listed).toMatchObject({ trigger: "ON_DEMAND", subject: one.userName });
    expect(listed.changes.map((c) => c.text)).toContain("1 user created");
  });
});
