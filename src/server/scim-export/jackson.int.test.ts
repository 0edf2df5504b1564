import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startJacksonScimServer, type JacksonScimServer } from "@/testing/jackson-scim/server";
import { addGroupMembers, removeGroupMembers, updateUser } from "../directory";
import { newConfiguredProfile, newGroupWithUsers, newTenant, newUser, syncNow } from "../../testing/factories/scim-export";
import { fullReconcile, operationsOf } from "../../testing/factories/scim-export-runs";

let jackson: JacksonScimServer;
beforeAll(async () => {
  jackson = await startJacksonScimServer();
});
afterAll(() => jackson.stop());

const byEmail = async (email: string) => (await jackson.users()).find((u) => u.email.toLowerCase() === email.toLowerCase());

describe("sync into Jackson's directory-sync SCIM endpoints (a second independent SCIM 2.0 server)", () => {
  it("creates users, the group and its members; updates one user incrementally; adds and removes members with filtered paths; deactivates leavers", async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 3);
    const profileId = await newConfiguredProfile(tenant.id, null, {
      type: "SCIM",
      baseUrl: jackson.baseUrl,
      token: jackson.token,
      groupIds: [group.id],
    });

    const first = await syncNow(tenant.id, profileId);
    expect(first).toMatchObject({ status: "SUCCEEDED", mode: "full" });
    expect((await jackson.users()).map((u) => u.email.toLowerCase()).sort()).toEqual(users.map((u) => u.userName.toLowerCase()).sort());
    const remoteGroup = (await jackson.groups()).find((g) => g.name === group.displayName)!;
    expect(remoteGroup).toBeDefined();
    for (const u of users) expect(await jackson.isMember(remoteGroup.id, (await byEmail(u.userName))!.id)).toBe(true);

    // No change: nothing written.
    const before = jackson.requests.length;
    const idle = await syncNow(tenant.id, profileId);
    expect(idle).toMatchObject({ status: "SUCCEEDED", mode: "incremental" });
    expect(jackson.requests.slice(before).filter((r) => r.method !== "GET")).toHaveLength(0);

    // One user changed, one joins, one leaves.
    const joiner = await newUser(tenant.id, { givenName: "Jo", familyName: "Iner" });
    await updateUser({ tenantId: tenant.id, userId: users[1]!.id, source: "CONSOLE", fields: { familyName: "Changed" } } as never);
    await addGroupMembers({ tenantId: tenant.id, groupId: group.id, source: "CONSOLE", userIds: [joiner.id] });
    await removeGroupMembers({ tenantId: tenant.id, groupId: group.id, source: "CONSOLE", userIds: [users[0]!.id] });
    const mark = jackson.requests.length;
    const second = await syncNow(tenant.id, profileId);
    expect(second).toMatchObject({ status: "SUCCEEDED", mode: "incremental" });
    expect((await byEmail(users[1]!.userName))!.lastName).toBe("Changed");
    const joined = (await byEmail(joiner.userName))!;
    expect(joined).toMatchObject({ active: true, firstName: "Jo" });
    expect(await jackson.isMember(remoteGroup.id, joined.id)).toBe(true);
    const leaver = (await byEmail(users[0]!.userName))!;
    expect(await jackson.isMember(remoteGroup.id, leaver.id)).toBe(false);
    expect(leaver.active).toBe(false);
    expect(await jackson.isMember(remoteGroup.id, (await byEmail(users[2]!.userName))!.id)).toBe(true);
    // Member removes only in the filtered form; no duplicate users.
    const writes = jackson.requests.slice(mark).filter((r) => r.method === "PATCH");
    const removes = writes.flatMap((r) =>
      ((r.body as { Operations?: { op: string; path?: string; value?: unknown }[] })?.Operations ?? []).filter((o) => o.op === "remove"),
    );
    expect(removes.length).toBeGreaterThan(0);
    expect(removes.every((o) => /^members\[value eq ".+"\]$/.test(o.path ?? "") && o.value === undefined)).toBe(true);
    expect((await jackson.users()).length).toBe(4);
  });

  it("drift: a wiped directory is restored by one full reconcile; an attribute changed there is set back; a deleted user comes back with its next change", async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 3);
    const profileId = await newConfiguredProfile(tenant.id, null, {
      type: "SCIM",
      baseUrl: jackson.baseUrl,
      token: jackson.token,
      groupIds: [group.id],
    });
    await syncNow(tenant.id, profileId);
    const raw = async (email: string) => {
      const { id: _id, ...rest } = (await byEmail(email))!.raw;
      return rest;
    };
    const before = new Map(await Promise.all(users.map(async (u) => [u.userName, await raw(u.userName)] as const)));
    const remoteGroup = async () => (await jackson.groups()).find((g) => g.name === group.displayName);

    await jackson.admin.deleteEverything();
    const restored = await fullReconcile(tenant.id, profileId);
    expect(restored).toMatchObject({ status: "SUCCEEDED", mode: "full" });
    for (const u of users) expect(await raw(u.userName)).toEqual(before.get(u.userName));
    const recreated = (await remoteGroup())!;
    for (const u of users) expect(await jackson.isMember(recreated.id, (await byEmail(u.userName))!.id)).toBe(true);
    const ops = await operationsOf(tenant.id, profileId, restored.id);
    expect(ops.filter((o) => o.action === "created").map((o) => o.reason)).toEqual(Array(4).fill("re-created: missing on the target"));

    await jackson.admin.editUser((await byEmail(users[1]!.userName))!.id, (r) => void (r.displayName = "Someone Else"));
    const repaired = await fullReconcile(tenant.id, profileId);
    expect(await raw(users[1]!.userName)).toEqual(before.get(users[1]!.userName));
    expect((await operationsOf(tenant.id, profileId, repaired.id)).find((o) => o.objectType === "USER")).toMatchObject({
      action: "updated",
      reason: "reset: displayName was changed on the target",
    });

    await jackson.admin.deleteUser((await byEmail(users[0]!.userName))!.id);
    await updateUser({ tenantId: tenant.id, userId: users[0]!.id, source: "CONSOLE", fields: { familyName: "Back" } } as never);
    const back = await syncNow(tenant.id, profileId);
    expect(back).toMatchObject({ status: "SUCCEEDED", mode: "incremental" });
    expect((await byEmail(users[0]!.userName))!.lastName).toBe("Back");
    expect(await jackson.isMember(recreated.id, (await byEmail(users[0]!.userName))!.id)).toBe(true);

    // Jackson never lists members: with nothing drifted, a full reconcile writes nothing.
    const mark = jackson.requests.length;
    await fullReconcile(tenant.id, profileId);
    expect(jackson.requests.slice(mark).filter((r) => r.method !== "GET")).toEqual([]);
  });
});
