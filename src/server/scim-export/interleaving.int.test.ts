/**
 * Issue 14, item 5: no change is lost inside a run. Directory changes are injected at each stage
 * boundary of a sync — deterministically, through the step runner the engine runs its stages
 * with (the same seam Inngest and the in-process runner use), not with sleeps — and every change
 * must reach the target through that run or the next one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDatabricksEmulator, type DatabricksEmulator } from "@/testing/databricks-emulator";
import { db } from "../db";
import { addGroupMembers, createGroup, removeGroupMembers, updateUser } from "../directory";
import type { StepRunner } from "./engine/sync";
import { newConfiguredProfile, newGroupWithUsers, newTenant, newUser, syncNow } from "../../testing/factories/scim-export";
import { runRequested } from "../../testing/factories/scim-export-runs";

let emulator: DatabricksEmulator;
beforeAll(async () => {
  emulator = await startDatabricksEmulator();
});
afterAll(() => emulator.stop());

/** Runs the stages in order; just before the stage named `before`, applies `change` (once), and records the stage ids. */
function changingBefore(before: string, change: () => Promise<void>): StepRunner & { ids: string[] } {
  const ids: string[] = [];
  return {
    ids,
    run: async (id, fn) => {
      if (id === before) await change();
      ids.push(id);
      return fn();
    },
  };
}

/** The target as the directory says it should be now: every in-scope user active with its name, in exactly its groups; the others inactive or absent. */
async function expectConverged(tenantId: string, groups: { id: string; displayName: string }[]) {
  const members = await db().groupMember.findMany({
    where: { groupId: { in: groups.map((g) => g.id) } },
    select: { groupId: true, userId: true },
  });
  const users = await db().directoryUser.findMany({ where: { tenantId }, select: { id: true, userName: true, givenName: true } });
  const inScope = new Set(members.map((m) => m.userId));
  for (const user of users) {
    const remote = emulator.userByName(user.userName);
    if (inScope.has(user.id))
      expect(remote, `${user.userName} on the target`).toMatchObject({ active: true, name: { givenName: user.givenName } });
    else expect(remote?.active ?? false, `${user.userName} (out of scope) inactive`).toBe(false);
  }
  for (const group of groups) {
    const expected = members
      .filter((m) => m.groupId === group.id)
      .map((m) => emulator.userByName(users.find((u) => u.id === m.userId)!.userName)!.id);
    expect(emulator.groupByName(group.displayName)!.members.sort(), `members of ${group.displayName}`).toEqual(expected.sort());
  }
}

const INCREMENTAL = ["plan", "probe", "users-0", "groups", "leavers", "memberships-0", "user-memberships", "finish"];
const FULL = ["plan", "probe", "read-target", "users-0", "groups", "leavers", "memberships-0", "group-leavers", "finish"];

describe("changes that land while a sync runs are handled by that run or the next one", () => {
  for (const [mode, stages] of [
    ["incremental", INCREMENTAL],
    ["full", FULL],
  ] as const) {
    for (const before of stages) {
      it(`${mode} run, changes landing just before its "${before}" stage`, async () => {
        const tenant = await newTenant();
        const g = await newGroupWithUsers(tenant.id, 3);
        const h = await createGroup({ tenantId: tenant.id, source: "CONSOLE", fields: { displayName: `${g.group.displayName} H` } });
        await addGroupMembers({ tenantId: tenant.id, groupId: h.id, source: "CONSOLE", userIds: [g.users[2]!.id] });
        const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [g.group.id, h.id] });
        expect((await syncNow(tenant.id, profileId)).status).toBe("SUCCEEDED");
        const [u0, u1, u2] = g.users;

        // Before the run: a newcomer joins G (the run creates it); u2 changes (its other group H
        // gets a user-memberships stage).
        const newcomer = await newUser(tenant.id, { givenName: "New", familyName: "Comer" });
        await addGroupMembers({ tenantId: tenant.id, groupId: g.group.id, source: "CONSOLE", userIds: [newcomer.id] });
        await updateUser({ tenantId: tenant.id, userId: u2!.id, source: "CONSOLE", fields: { givenName: "Planned" } } as never);

        // During the run: the newcomer leaves again (the leaver once lost), another joins, u0
        // changes, u1 leaves.
        const late = await newUser(tenant.id, { givenName: "Late", familyName: "Joiner" });
        const steps = changingBefore(before, async () => {
          await removeGroupMembers({ tenantId: tenant.id, groupId: g.group.id, source: "CONSOLE", userIds: [newcomer.id, u1!.id] });
          await addGroupMembers({ tenantId: tenant.id, groupId: g.group.id, source: "CONSOLE", userIds: [late.id] });
          await updateUser({ tenantId: tenant.id, userId: u0!.id, source: "CONSOLE", fields: { givenName: "During" } } as never);
        });
        const run = await runRequested(tenant.id, profileId, "MANUAL", mode === "full", steps);
        expect(run).toMatchObject({ status: "SUCCEEDED", mode });
        expect(steps.ids, "the stage the change was injected before ran").toContain(before);

        const next = await syncNow(tenant.id, profileId);
        expect(next.status).toBe("SUCCEEDED");
        await expectConverged(tenant.id, [g.group, h]);
        // Converged for good: a third run has nothing to write.
        emulator.resetCounters();
        await syncNow(tenant.id, profileId);
        expect(emulator.requests.filter((r) => r.method !== "GET")).toEqual([]);
      });
    }
  }
});
