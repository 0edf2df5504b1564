import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startDatabricksEmulator, type DatabricksEmulator } from "@/testing/databricks-emulator";
import { removeGroupMembers, updateUser } from "../directory";
import { db } from "../db";
import { FAST_RETRIES, newConfiguredProfile, newGroupWithUsers, newTenant, syncNow } from "../../testing/factories/scim-export";
import { confirmExportRun, getExportProfile, listExportOperations } from "./index";
import { inlineSteps, runExportSync } from "./engine/sync";

let emulator: DatabricksEmulator;
beforeAll(async () => {
  emulator = await startDatabricksEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.resetCounters());

describe("sync into the Databricks emulator", () => {
  it("creates users, the group and its members; a second run sends nothing; one change costs one write", async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 5);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });

    const first = await syncNow(tenant.id, profileId);
    expect(first.status).toBe("SUCCEEDED");
    for (const u of users) expect(emulator.userByName(u.userName)).toBeDefined();
    const remoteGroup = emulator.groupByName(group.displayName)!;
    expect(remoteGroup.members).toHaveLength(5);
    expect((first.counts as Record<string, number>)["user.created.success"]).toBe(5);

    emulator.resetCounters();
    const second = await syncNow(tenant.id, profileId);
    expect(second.status).toBe("SUCCEEDED");
    expect(emulator.counters.writes).toBe(0);
    expect(second.message).toMatch(/Nothing to change/);

    await updateUser({ tenantId: tenant.id, userId: users[0]!.id, source: "CONSOLE", fields: { givenName: "Renamed" } } as never);
    emulator.resetCounters();
    const third = await syncNow(tenant.id, profileId);
    expect(emulator.counters.writes).toBe(1);
    expect(emulator.userByName(users[0]!.userName)!.name?.givenName).toBe("Renamed");
    const ops = await listExportOperations({ tenantId: tenant.id, profileId, filters: { runId: third.id } });
    expect(ops.items[0]).toMatchObject({ action: "updated", result: "SUCCESS" });
    expect(ops.items[0]!.changes).toEqual(expect.arrayContaining([{ attribute: "name.givenName", old: "Given0", new: "Renamed" }]));
  });

  it("removes members with the filtered path only, and deactivates users leaving scope", async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 3);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });
    await syncNow(tenant.id, profileId);
    await removeGroupMembers({ tenantId: tenant.id, groupId: group.id, source: "CONSOLE", userIds: [users[0]!.id] });
    const run = await syncNow(tenant.id, profileId);
    expect(run.status).toBe("SUCCEEDED");
    expect(emulator.counters.valueFormRemoves).toBe(0);
    const remoteGroup = emulator.groupByName(group.displayName)!;
    expect(remoteGroup.members).toHaveLength(2);
    expect(emulator.userByName(users[0]!.userName)!.active).toBe(false);
    expect(emulator.userByName(users[1]!.userName)!.active).toBe(true);
  });

  it("adopts existing remote users instead of duplicating them", async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 2);
    emulator.seedUser({ userName: users[0]!.userName });
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });
    const run = await syncNow(tenant.id, profileId);
    expect(run.status).toBe("SUCCEEDED");
    expect(emulator.users().filter((u) => u.userName === users[0]!.userName)).toHaveLength(1);
    expect((run.counts as Record<string, number>)["user.matched.success"]).toBe(1);
  });

  it("stops at the deletion threshold and goes on after confirmation", async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 4);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id], deletionThreshold: 2 });
    await syncNow(tenant.id, profileId);
    await removeGroupMembers({ tenantId: tenant.id, groupId: group.id, source: "CONSOLE", userIds: users.slice(0, 3).map((u) => u.id) });
    emulator.resetCounters();
    const stopped = await syncNow(tenant.id, profileId);
    expect(stopped.status).toBe("NEEDS_CONFIRMATION");
    expect(emulator.counters.writes).toBe(0);
    expect((await getExportProfile({ tenantId: tenant.id, profileId })).pendingConfirmation?.id).toBe(stopped.id);
    const { runId } = await confirmExportRun({ tenantId: tenant.id, runId: stopped.id });
    await runExportSync({ tenantId: tenant.id, profileId, runId }, inlineSteps, { retries: FAST_RETRIES });
    const done = await db().exportRun.findUniqueOrThrow({ where: { id: runId } });
    expect(done.status).toBe("SUCCEEDED");
    expect(users.slice(0, 3).every((u) => emulator.userByName(u.userName)!.active === false)).toBe(true);
  });
});
