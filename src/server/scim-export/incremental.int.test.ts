import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startDatabricksEmulator, type DatabricksEmulator } from "@/testing/databricks-emulator";
import { addGroupMembers, createGroup, deleteUser, removeGroupMembers, setUserActive, updateUser } from "../directory";
import { db } from "../db";
import { FAST_RETRIES, newConfiguredProfile, newGroupWithUsers, newTenant, newUser, syncNow } from "../../testing/factories/scim-export";
import {
  getExportMapping,
  getExportProfile,
  requestExportSync,
  setExportAssignedGroups,
  updateExportConfiguration,
  updateExportMapping,
} from "./index";
import { inlineSteps, runExportSync } from "./engine/sync";

let emulator: DatabricksEmulator;
beforeAll(async () => {
  emulator = await startDatabricksEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.resetCounters());

const stats = (run: { stats: unknown }) => run.stats as Record<string, number>;
const counts = (run: { counts: unknown }) => run.counts as Record<string, number>;

describe("incremental syncs (only what changed since the last run)", () => {
  it("re-maps only the changed user; a no-change run maps nothing; a mapping change triggers a full pass", async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 6);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });

    const first = await syncNow(tenant.id, profileId);
    expect(first).toMatchObject({ status: "SUCCEEDED", mode: "full" });
    expect(stats(first).usersMapped).toBe(6);

    await updateUser({ tenantId: tenant.id, userId: users[2]!.id, source: "CONSOLE", fields: { givenName: "Changed" } } as never);
    emulator.resetCounters();
    const second = await syncNow(tenant.id, profileId);
    expect(second).toMatchObject({ status: "SUCCEEDED", mode: "incremental" });
    expect(stats(second).usersMapped).toBe(1);
    expect(stats(second).groupsMapped ?? 0).toBe(0);
    expect(emulator.counters.writes).toBe(1);
    expect(emulator.userByName(users[2]!.userName)!.name?.givenName).toBe("Changed");

    emulator.resetCounters();
    const third = await syncNow(tenant.id, profileId);
    expect(third).toMatchObject({ status: "SUCCEEDED", mode: "incremental" });
    expect(stats(third).usersMapped ?? 0).toBe(0);
    expect(emulator.counters.writes).toBe(0);

    // A mapping change: every user is re-rendered (and the changed attribute sent once per user).
    const mapping = await getExportMapping({ tenantId: tenant.id, profileId });
    const user = mapping.user.map((row) =>
      row.target === "displayName" ? { ...row, kind: "expression" as const, value: 'Join(" ", [givenName], "(export)")' } : row,
    );
    await updateExportMapping({ tenantId: tenant.id, profileId, input: { user } });
    emulator.resetCounters();
    const fourth = await syncNow(tenant.id, profileId);
    expect(fourth).toMatchObject({ status: "SUCCEEDED", mode: "full" });
    expect(stats(fourth).usersMapped).toBe(6);
    expect(emulator.counters.writes).toBe(6);
    expect(emulator.userByName(users[0]!.userName)!.displayName).toBe("Given0 (export)");

    // Back to incremental once the full pass is recorded.
    const fifth = await syncNow(tenant.id, profileId);
    expect(fifth).toMatchObject({ mode: "incremental" });
    expect(stats(fifth).usersMapped ?? 0).toBe(0);
  });

  it("catches scope changes through group membership changes: an entrant is created, a leaver deactivated", async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 4);
    const outsider = await newUser(tenant.id, { givenName: "Out", familyName: "Sider" });
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });
    await syncNow(tenant.id, profileId);
    expect(emulator.userByName(outsider.userName)).toBeUndefined();

    await addGroupMembers({ tenantId: tenant.id, groupId: group.id, source: "CONSOLE", userIds: [outsider.id] });
    await removeGroupMembers({ tenantId: tenant.id, groupId: group.id, source: "CONSOLE", userIds: [users[0]!.id] });
    emulator.resetCounters();
    const run = await syncNow(tenant.id, profileId);
    expect(run).toMatchObject({ status: "SUCCEEDED", mode: "incremental" });
    // The entrant and the leaver only (the group's other members are not re-mapped).
    expect(stats(run).usersMapped).toBe(1);
    expect(counts(run)["user.created.success"]).toBe(1);
    expect(counts(run)["user.deactivated.success"]).toBe(1);
    const remoteGroup = emulator.groupByName(group.displayName)!;
    const created = emulator.userByName(outsider.userName)!;
    expect(remoteGroup.members).toContain(created.id);
    expect(remoteGroup.members).not.toContain(emulator.userByName(users[0]!.userName)!.id);
    expect(remoteGroup.members).toHaveLength(4);
    expect(emulator.userByName(users[0]!.userName)!.active).toBe(false);
    expect(emulator.counters.valueFormRemoves).toBe(0);
    // Create + group add + group remove + deactivate: one write each.
    expect(emulator.counters.writes).toBe(4);

    // A user deactivated in the directory (no group change): deactivated on the target and taken
    // out of the group by the user-memberships stage; reactivated, back in.
    await setUserActive({ tenantId: tenant.id, userId: users[2]!.id, active: false, source: "CONSOLE" });
    const off = await syncNow(tenant.id, profileId);
    expect(off).toMatchObject({ status: "SUCCEEDED", mode: "incremental" });
    expect(stats(off).usersMapped).toBe(1);
    const remoteId = emulator.userByName(users[2]!.userName)!.id;
    expect(emulator.userByName(users[2]!.userName)!.active).toBe(false);
    expect(emulator.groupByName(group.displayName)!.members).not.toContain(remoteId);
    await setUserActive({ tenantId: tenant.id, userId: users[2]!.id, active: true, source: "CONSOLE" });
    await syncNow(tenant.id, profileId);
    expect(emulator.userByName(users[2]!.userName)!.active).toBe(true);
    expect(emulator.groupByName(group.displayName)!.members).toContain(remoteId);

    // A deleted user leaves scope too.
    await deleteUser({ tenantId: tenant.id, userId: users[1]!.id, source: "CONSOLE" } as never);
    const afterDelete = await syncNow(tenant.id, profileId);
    expect(afterDelete.mode).toBe("incremental");
    expect(emulator.userByName(users[1]!.userName)!.active).toBe(false);
    expect(emulator.groupByName(group.displayName)!.members).toHaveLength(3);
  });

  it("a full sync can be requested; a failed user is retried by the next incremental run; a full reconcile every fullSyncHours", async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 3);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });
    await syncNow(tenant.id, profileId);

    const { runId } = await requestExportSync({ tenantId: tenant.id, profileId, full: true });
    await runExportSync({ tenantId: tenant.id, profileId, runId }, inlineSteps, { retries: FAST_RETRIES });
    const full = await db().exportRun.findUniqueOrThrow({ where: { id: runId } });
    expect(full).toMatchObject({ status: "SUCCEEDED", mode: "full" });
    expect(stats(full).usersMapped).toBe(3);

    // Every PATCH fails (500s after retries): the change is recorded as an error…
    await updateUser({ tenantId: tenant.id, userId: users[0]!.id, source: "CONSOLE", fields: { givenName: "Retried" } } as never);
    emulator.setFaults({ serverErrorRate: 1, methods: ["PATCH"] });
    const failed = await syncNow(tenant.id, profileId);
    emulator.setFaults({});
    expect(failed.mode).toBe("incremental");
    expect(failed.status).not.toBe("SUCCEEDED");
    expect(emulator.userByName(users[0]!.userName)!.name?.givenName).not.toBe("Retried");
    // …and the next run, with no new change, retries it.
    const retried = await syncNow(tenant.id, profileId);
    expect(retried).toMatchObject({ status: "SUCCEEDED", mode: "incremental" });
    expect(stats(retried).usersMapped).toBe(1);
    expect(emulator.userByName(users[0]!.userName)!.name?.givenName).toBe("Retried");

    // The periodic full reconcile: once the last full pass is older than fullSyncHours.
    const { configuration } = await getExportProfile({ tenantId: tenant.id, profileId });
    expect(configuration.fullSyncHours).toBe(24);
    const { tokenSet, tokenMasked, tokenSetAt, includeNestedGroups, lastFullSyncAt, ...form } = configuration;
    expect(lastFullSyncAt).toBeInstanceOf(Date);
    await updateExportConfiguration({
      tenantId: tenant.id,
      profileId,
      input: { ...form, baseUrl: form.baseUrl!, token: "", fullSyncHours: 2 },
    });
    expect((await getExportProfile({ tenantId: tenant.id, profileId })).configuration.fullSyncHours).toBe(2);
    await db().exportProfile.update({ where: { id: profileId }, data: { lastFullSyncAt: new Date(Date.now() - 3 * 3_600_000) } });
    const periodic = await syncNow(tenant.id, profileId);
    expect(periodic).toMatchObject({ status: "SUCCEEDED", mode: "full" });
    expect(stats(periodic).usersMapped).toBe(3);
    expect((await syncNow(tenant.id, profileId)).mode).toBe("incremental");
  });
});

describe("nested groups", () => {
  it("with 'include nested groups' the members of nested child groups are in scope; turning it off is a full pass that removes them", async () => {
    const tenant = await newTenant();
    const parent = await newGroupWithUsers(tenant.id, 2);
    const child = await newGroupWithUsers(tenant.id, 2);
    const grandchild = await newGroupWithUsers(tenant.id, 1);
    await addGroupMembers({ tenantId: tenant.id, groupId: parent.group.id, source: "CONSOLE", groupIds: [child.group.id] });
    await addGroupMembers({ tenantId: tenant.id, groupId: child.group.id, source: "CONSOLE", groupIds: [grandchild.group.id] });
    const profileId = await newConfiguredProfile(tenant.id, emulator);

    await setExportAssignedGroups({ tenantId: tenant.id, profileId, groupIds: [parent.group.id], includeNestedGroups: false });
    await syncNow(tenant.id, profileId);
    expect(emulator.userByName(child.users[0]!.userName)).toBeUndefined();

    await setExportAssignedGroups({ tenantId: tenant.id, profileId, groupIds: [parent.group.id], includeNestedGroups: true });
    const nested = await syncNow(tenant.id, profileId);
    expect(nested).toMatchObject({ status: "SUCCEEDED", mode: "full" });
    for (const u of [...parent.users, ...child.users, ...grandchild.users]) expect(emulator.userByName(u.userName)?.active).toBe(true);
    // Nested groups on the target are flattened by default: the child lists its grandchild's user too.
    expect(emulator.groupByName(child.group.displayName)!.members).toHaveLength(3);
    expect(emulator.groupByName(grandchild.group.displayName)!.members).toHaveLength(1);

    // A member added to a nested group reaches the target through an incremental run.
    const late = await newUser(tenant.id, { givenName: "Late", familyName: "Joiner" });
    await addGroupMembers({ tenantId: tenant.id, groupId: grandchild.group.id, source: "CONSOLE", userIds: [late.id] });
    const incremental = await syncNow(tenant.id, profileId);
    expect(incremental.mode).toBe("incremental");
    expect(emulator.userByName(late.userName)?.active).toBe(true);
    expect(emulator.groupByName(grandchild.group.displayName)!.members).toHaveLength(2);
    // ... and every group above it lists them, though only the grandchild changed.
    const lateId = emulator.userByName(late.userName)!.id;
    expect(emulator.groupByName(child.group.displayName)!.members).toContain(lateId);
    expect(emulator.groupByName(parent.group.displayName)!.members).toContain(lateId);

    // A group nested later is part of the scope too (the scope changed: full pass).
    const other = await createGroup({ tenantId: tenant.id, source: "CONSOLE", fields: { displayName: `${parent.group.displayName} sub` } });
    const subUser = await newUser(tenant.id, {});
    await addGroupMembers({ tenantId: tenant.id, groupId: other.id, source: "CONSOLE", userIds: [subUser.id] });
    await addGroupMembers({ tenantId: tenant.id, groupId: parent.group.id, source: "CONSOLE", groupIds: [other.id] });
    const widened = await syncNow(tenant.id, profileId);
    expect(widened.mode).toBe("full");
    expect(emulator.userByName(subUser.userName)?.active).toBe(true);

    await setExportAssignedGroups({ tenantId: tenant.id, profileId, groupIds: [parent.group.id], includeNestedGroups: false });
    const narrowed = await syncNow(tenant.id, profileId);
    expect(narrowed).toMatchObject({ status: "SUCCEEDED", mode: "full" });
    for (const u of parent.users) expect(emulator.userByName(u.userName)!.active).toBe(true);
    for (const u of [...child.users, ...grandchild.users, late, subUser]) expect(emulator.userByName(u.userName)!.active).toBe(false);
  });
});
