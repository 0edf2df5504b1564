import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScimmyServer } from "@/testing/scimmy-server/server";
import { removeGroupMembers, updateUser } from "../directory";
import { newConfiguredProfile, newGroupWithUsers, newTenant, syncNow } from "../../testing/factories/scim-export";
import { fullReconcile, operationsOf } from "../../testing/factories/scim-export-runs";

let scimmy: Awaited<ReturnType<typeof startScimmyServer>>;
beforeAll(async () => {
  scimmy = await startScimmyServer();
});
afterAll(() => scimmy.stop());

describe("sync into an independent SCIM 2.0 server (SCIMMY)", () => {
  it("creates, updates incrementally, removes members with filtered paths and deactivates leavers", async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 3);
    const profileId = await newConfiguredProfile(tenant.id, null, {
      type: "SCIM",
      baseUrl: scimmy.baseUrl,
      token: scimmy.token,
      groupIds: [group.id],
    });
    const first = await syncNow(tenant.id, profileId);
    expect(first.status).toBe("SUCCEEDED");
    expect(
      scimmy
        .users()
        .map((u) => u.userName)
        .sort(),
    ).toEqual(users.map((u) => u.userName).sort());
    const remoteGroup = scimmy.groups().find((g) => g.displayName === group.displayName)!;
    expect((remoteGroup.members as { value: string }[]).length).toBe(3);

    await updateUser({ tenantId: tenant.id, userId: users[1]!.id, source: "CONSOLE", fields: { familyName: "Changed" } } as never);
    await removeGroupMembers({ tenantId: tenant.id, groupId: group.id, source: "CONSOLE", userIds: [users[0]!.id] });
    const second = await syncNow(tenant.id, profileId);
    expect(second.status).toBe("SUCCEEDED");
    const after = scimmy.groups().find((g) => g.displayName === group.displayName)!;
    expect((after.members as { value: string }[]).length).toBe(2);
    expect((scimmy.users().find((u) => u.userName === users[1]!.userName)!.name as { familyName: string }).familyName).toBe("Changed");
    expect(scimmy.users().find((u) => u.userName === users[0]!.userName)!.active).toBe(false);
  });

  it("drift: an emptied server (ids numbered from 1 again) is restored by one full reconcile; attributes and members changed there are set back; a deleted user comes back with its next change; a reused id is never written to", async () => {
    scimmy.reset();
    const tenant = await newTenant();
    const a = await newGroupWithUsers(tenant.id, 3);
    const b = await newGroupWithUsers(tenant.id, 1);
    const profileId = await newConfiguredProfile(tenant.id, null, {
      type: "SCIM",
      baseUrl: scimmy.baseUrl,
      token: scimmy.token,
      groupIds: [a.group.id, b.group.id],
    });
    expect((await syncNow(tenant.id, profileId)).status).toBe("SUCCEEDED");
    const shape = ({ id: _id, meta: _meta, ...rest }: Record<string, unknown>) => rest;
    const user = (userName: string) => scimmy.users().find((u) => u.userName === userName)!;
    const group = (displayName: string) => scimmy.groups().find((g) => g.displayName === displayName)!;
    const memberIds = (displayName: string) =>
      ((group(displayName).members as { value: string }[] | undefined) ?? []).map((m) => m.value).sort();
    const before = new Map([...a.users, ...b.users].map((u) => [u.userName, shape(user(u.userName))]));
    const oldIds = [...a.users, ...b.users].map((u) => user(u.userName).id);

    // Emptied, and a stranger created through the API gets the first id again.
    scimmy.reset();
    const stranger = await fetch(`${scimmy.baseUrl}/Users`, {
      method: "POST",
      headers: { Authorization: `Bearer ${scimmy.token}`, "Content-Type": "application/scim+json" },
      body: JSON.stringify({
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName: "stranger@elsewhere.test",
        displayName: "Stranger",
      }),
    }).then((r) => r.json() as Promise<Record<string, unknown> & { id: string }>);
    expect(oldIds).toContain(stranger.id);
    const restored = await fullReconcile(tenant.id, profileId);
    expect(restored).toMatchObject({ status: "SUCCEEDED", mode: "full" });
    for (const u of [...a.users, ...b.users]) expect(shape(user(u.userName))).toEqual(before.get(u.userName));
    expect(memberIds(a.group.displayName)).toEqual(a.users.map((u) => user(u.userName).id).sort());
    expect(memberIds(b.group.displayName)).toEqual([user(b.users[0]!.userName).id]);
    expect(shape(user("stranger@elsewhere.test"))).toEqual(shape(stranger));
    const ops = await operationsOf(tenant.id, profileId, restored.id);
    expect(
      ops
        .filter((o) => o.action === "created" && o.objectType === "USER")
        .map((o) => o.reason)
        .sort(),
    ).toEqual([
      "re-created: missing on the target",
      "re-created: missing on the target",
      "re-created: missing on the target",
      `re-created: the remembered id ${stranger.id} now holds another user (stranger@elsewhere.test), which is left alone`,
    ]);

    // Changed there: a displayName, a member removed, the stranger added (not ours: it stays).
    scimmy.edit("User", user(a.users[1]!.userName).id, (u) => void (u.displayName = "Someone Else"));
    const removedId = user(a.users[2]!.userName).id;
    scimmy.edit(
      "Group",
      group(a.group.displayName).id,
      (g) =>
        void (g.members = [...((g.members as { value: string }[]) ?? []).filter((m) => m.value !== removedId), { value: stranger.id }]),
    );
    const repaired = await fullReconcile(tenant.id, profileId);
    expect(repaired.status).toBe("SUCCEEDED");
    expect(shape(user(a.users[1]!.userName))).toEqual(before.get(a.users[1]!.userName));
    expect(memberIds(a.group.displayName)).toEqual([...a.users.map((u) => user(u.userName).id), stranger.id].sort());
    const repairs = await operationsOf(tenant.id, profileId, repaired.id);
    expect(repairs.map((o) => o.reason)).toEqual(
      expect.arrayContaining([
        "reset: displayName was changed on the target",
        "re-added: removed on the target by someone else (1 member).",
      ]),
    );

    // Deleted there: the next change of that user (an incremental run) creates it again.
    scimmy.remove("User", user(a.users[0]!.userName).id);
    await updateUser({ tenantId: tenant.id, userId: a.users[0]!.id, source: "CONSOLE", fields: { familyName: "Back" } } as never);
    const back = await syncNow(tenant.id, profileId);
    expect(back).toMatchObject({ status: "SUCCEEDED", mode: "incremental" });
    expect((user(a.users[0]!.userName).name as { familyName: string }).familyName).toBe("Back");
    expect(memberIds(a.group.displayName)).toContain(user(a.users[0]!.userName).id);

    const idle = await fullReconcile(tenant.id, profileId);
    expect(idle.message).toMatch(/^Nothing to change/);
  });
});
