/**
 * Issue 14, items 1–3 against the Databricks emulator: the engine reads the target back and repairs
 * drift (what someone else did in the workspace) instead of trusting its link table.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startDatabricksEmulator, type DatabricksEmulator, type EmulatorUser } from "@/testing/databricks-emulator";
import { db } from "../db";
import { removeGroupMembers, updateUser } from "../directory";
import { newConfiguredProfile, newGroupWithUsers, newTenant, syncNow } from "../../testing/factories/scim-export";
import { fullReconcile, operationsOf } from "../../testing/factories/scim-export-runs";
import { provisionUserOnDemand } from "./index";

let emulator: DatabricksEmulator;
beforeAll(async () => {
  emulator = await startDatabricksEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.restart();
  emulator.resetCounters();
  emulator.setBeforeApply(undefined);
});

const remote = (userName: string) => emulator.userByName(userName)!;
/** What a user looks like on the target, without its id (ids change when a user is re-created). */
const shape = ({ id: _id, ...user }: EmulatorUser) => user;
const writes = () => emulator.requests.filter((r) => r.method !== "GET");
const reasons = (ops: { action: string; reason: string | null }[], action: string) =>
  ops.filter((o) => o.action === action).map((o) => o.reason);

async function linkOf(profileId: string, localId: string) {
  return db().exportLink.findUniqueOrThrow({ where: { profileId_objectType_localId: { profileId, objectType: "USER", localId } } });
}

describe("a full reconcile reads the target and repairs drift", () => {
  it("an emptied target (restarted, ids handed out again) is restored exactly by one full reconcile from each entry point, each repair logged", async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 19);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id], concurrency: 8 });
    expect((await syncNow(tenant.id, profileId)).status).toBe("SUCCEEDED");
    const before = new Map(users.map((u) => [u.userName, shape(remote(u.userName))]));

    for (const via of ["ON_DEMAND", "MANUAL", "SCHEDULE"] as const) {
      emulator.restart();
      emulator.resetCounters();
      const run = await fullReconcile(tenant.id, profileId, via);
      expect(run).toMatchObject({ status: "SUCCEEDED", mode: "full" });
      expect(emulator.users()).toHaveLength(19);
      for (const u of users) expect(shape(remote(u.userName))).toEqual(before.get(u.userName));
      const remoteGroup = emulator.groupByName(group.displayName)!;
      expect(remoteGroup.members.sort()).toEqual(users.map((u) => remote(u.userName).id).sort());
      const ops = await operationsOf(tenant.id, profileId, run.id);
      expect(
        reasons(
          ops.filter((o) => o.objectType === "USER"),
          "created",
        ),
      ).toEqual(Array(19).fill("re-created: missing on the target"));
      expect(ops.find((o) => o.objectType === "GROUP" && o.action === "created")?.reason).toBe("re-created: missing on the target");
      // The target's users were read in pages of the emulator's maximum (100), not one by one.
      expect(
        emulator.requests.filter((r) => r.method === "GET" && r.path.startsWith("/api/2.0/preview/scim/v2/Users?")).map((r) => r.path),
      ).toContain("/api/2.0/preview/scim/v2/Users?startIndex=1&count=100");
    }

    // Restored exactly: the next full reconcile finds nothing to write.
    emulator.resetCounters();
    const again = await fullReconcile(tenant.id, profileId);
    expect(again).toMatchObject({ status: "SUCCEEDED", mode: "full" });
    expect(writes()).toEqual([]);
  });

  it("attributes, activity and memberships changed behind the product's back are set back; what the profile does not manage is left alone", async () => {
    const tenant = await newTenant();
    const a = await newGroupWithUsers(tenant.id, 4);
    const b = await newGroupWithUsers(tenant.id, 2);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [a.group.id, b.group.id] });
    await syncNow(tenant.id, profileId);
    const [u0, u1, u2, u3] = a.users.map((u) => remote(u.userName));
    const groupA = emulator.groupByName(a.group.displayName)!;
    const desired = { u0: shape(u0!), u1: shape(u1!), u2: shape(u2!) };

    // Someone else, in the workspace:
    emulator.adminEditUser(u0!.id, { displayName: "Someone Else" });
    emulator.adminEditUser(u1!.id, { name: { givenName: "Changed", familyName: u1!.name!.familyName } });
    emulator.adminEditUser(u2!.id, { active: false });
    const stranger = emulator.seedUser({ userName: "stranger@elsewhere.test", displayName: "Not ours" });
    const b0 = remote(b.users[0]!.userName);
    emulator.adminEditGroup(groupA.id, { remove: [u3!.id], add: [b0.id, stranger.id] });
    const foreignGroup = emulator.seedGroup("Not ours either", [u0!.id]);
    emulator.resetCounters();

    const run = await fullReconcile(tenant.id, profileId);
    expect(run).toMatchObject({ status: "SUCCEEDED", mode: "full" });
    expect(shape(remote(a.users[0]!.userName))).toEqual(desired.u0);
    expect(shape(remote(a.users[1]!.userName))).toEqual(desired.u1);
    expect(shape(remote(a.users[2]!.userName))).toEqual(desired.u2);
    // Group A: its four members again, b0 taken out; the stranger (not managed here) stays.
    expect(emulator.groupByName(a.group.displayName)!.members.sort()).toEqual([u0!.id, u1!.id, u2!.id, u3!.id, stranger.id].sort());
    expect(emulator.groupByName(b.group.displayName)!.members).toContain(b0.id);
    expect(emulator.userByName("stranger@elsewhere.test")).toEqual(stranger);
    expect(emulator.groupByName("Not ours either")!.members).toEqual(foreignGroup.members);
    expect(emulator.counters.valueFormRemoves).toBe(0);

    const ops = await operationsOf(tenant.id, profileId, run.id);
    const userOp = (userName: string) => ops.find((o) => o.objectType === "USER" && o.name === userName.toLowerCase());
    expect(userOp(a.users[0]!.userName)).toMatchObject({
      action: "updated",
      result: "SUCCESS",
      reason: "reset: displayName was changed on the target",
    });
    expect(userOp(a.users[0]!.userName)!.changes).toEqual([{ attribute: "displayName", old: "Someone Else", new: desired.u0.displayName }]);
    expect(userOp(a.users[1]!.userName)).toMatchObject({ action: "updated", reason: "reset: name.givenName was changed on the target" });
    expect(userOp(a.users[2]!.userName)).toMatchObject({ action: "reactivated", reason: "reset: active was changed on the target" });
    expect(ops.find((o) => o.action === "members_added")).toMatchObject({
      name: a.group.displayName,
      reason: expect.stringMatching(/^re-added: removed on the target by someone else/),
    });
    expect(ops.find((o) => o.action === "members_removed")).toMatchObject({
      name: a.group.displayName,
      reason: expect.stringMatching(/^removed: added on the target by someone else/),
    });
    // One write per repair: three users, one member added back, one taken out.
    expect(writes()).toHaveLength(5);

    emulator.resetCounters();
    await fullReconcile(tenant.id, profileId);
    expect(writes()).toEqual([]);
  });
});

describe("an incremental run survives drift", () => {
  it("a user deleted on the target is re-created by the next change of that user, also when it disappears between the read and the PATCH", async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 3);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });
    await syncNow(tenant.id, profileId);

    emulator.adminDeleteUser(remote(users[0]!.userName).id);
    await updateUser({ tenantId: tenant.id, userId: users[0]!.id, source: "CONSOLE", fields: { givenName: "Back" } } as never);
    const run = await syncNow(tenant.id, profileId);
    expect(run).toMatchObject({ status: "SUCCEEDED", mode: "incremental" });
    expect(remote(users[0]!.userName)).toMatchObject({ active: true, name: { givenName: "Back" } });
    expect(emulator.groupByName(group.displayName)!.members).toContain(remote(users[0]!.userName).id);
    expect((await operationsOf(tenant.id, profileId, run.id)).find((o) => o.objectType === "USER")).toMatchObject({
      action: "created",
      result: "SUCCESS",
      reason: "re-created: missing on the target",
    });

    // Deleted by someone else just before our PATCH arrives: the 404 re-matches and re-creates.
    const doomed = remote(users[1]!.userName).id;
    emulator.setBeforeApply(({ method, path }) => {
      if (method === "PATCH" && path.endsWith(`/Users/${doomed}`) && emulator.users().some((u) => u.id === doomed))
        emulator.adminDeleteUser(doomed);
    });
    await updateUser({ tenantId: tenant.id, userId: users[1]!.id, source: "CONSOLE", fields: { givenName: "Raced" } } as never);
    const raced = await syncNow(tenant.id, profileId);
    emulator.setBeforeApply(undefined);
    expect(raced.status).toBe("SUCCEEDED");
    expect(remote(users[1]!.userName)).toMatchObject({ active: true, name: { givenName: "Raced" } });
    expect(remote(users[1]!.userName).id).not.toBe(doomed);
    expect(emulator.groupByName(group.displayName)!.members).toContain(remote(users[1]!.userName).id);
    expect(emulator.users()).toHaveLength(3);
  });

  it("an id the target handed to another user is never written to: the user is matched again, and created when gone", async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 3);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });
    await syncNow(tenant.id, profileId);
    const oldIds = await Promise.all(users.map(async (u) => (await linkOf(profileId, u.id)).remoteId));

    // The workspace was reset and three other people were added: they got our users' old ids.
    emulator.restart();
    const strangers = [0, 1, 2].map((i) => emulator.seedUser({ userName: `stranger${i}@elsewhere.test`, displayName: `Stranger ${i}` }));
    expect(strangers.map((s) => s.id).sort()).toEqual([...oldIds].sort());
    const untouched = strangers.map((s) => structuredClone(s));
    emulator.resetCounters();

    // A change of users[0] (incremental) and users[1] leaving scope: neither old id is written to.
    await updateUser({ tenantId: tenant.id, userId: users[0]!.id, source: "CONSOLE", fields: { givenName: "Mine" } } as never);
    await removeGroupMembers({ tenantId: tenant.id, groupId: group.id, source: "CONSOLE", userIds: [users[1]!.id] });
    const run = await syncNow(tenant.id, profileId);
    expect(run.mode).toBe("incremental");
    expect(remote(users[0]!.userName)).toMatchObject({ name: { givenName: "Mine" } });
    expect(oldIds).not.toContain(remote(users[0]!.userName).id);
    const ops = await operationsOf(tenant.id, profileId, run.id);
    expect(ops.find((o) => o.objectType === "USER" && o.action === "created")!.reason).toMatch(
      /^re-created: the remembered id \d+ now holds another user \(stranger\d@elsewhere\.test\), which is left alone$/,
    );

    // The full reconcile re-creates the rest, still without touching the strangers.
    const full = await fullReconcile(tenant.id, profileId);
    expect(full.status).toBe("SUCCEEDED");
    expect(remote(users[2]!.userName).active).toBe(true);
    expect(emulator.groupByName(group.displayName)!.members.sort()).toEqual(
      [remote(users[0]!.userName).id, remote(users[2]!.userName).id].sort(),
    );
    for (const s of untouched) expect(emulator.users().find((u) => u.id === s.id)).toEqual(s);
    const touched = emulator.requests.filter((r) => r.method !== "GET" && oldIds.some((id) => r.path.endsWith(`/Users/${id}`)));
    expect(touched).toEqual([]);
  });
});

describe("leavers and groups survive drift too", () => {
  it("DELETE mode: a leaver re-created elsewhere on the target is deleted where it is; one that vanishes just before our DELETE is only forgotten", async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 3);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id], leaveAction: "DELETE" });
    await syncNow(tenant.id, profileId);
    // users[0]: deleted and re-created by someone under a new id; users[1]: deleted, and the
    // DELETE we send for it is answered 404 because it vanishes right before.
    const first = remote(users[0]!.userName);
    emulator.adminDeleteUser(first.id);
    const again = emulator.seedUser({ userName: first.userName });
    const second = remote(users[1]!.userName).id;
    await removeGroupMembers({ tenantId: tenant.id, groupId: group.id, source: "CONSOLE", userIds: [users[0]!.id, users[1]!.id] });
    emulator.resetCounters();
    emulator.setBeforeApply(({ method, path }) => {
      if (method === "DELETE" && path.endsWith(`/Users/${second}`) && emulator.users().some((u) => u.id === second))
        emulator.adminDeleteUser(second);
    });
    const run = await syncNow(tenant.id, profileId);
    expect(run).toMatchObject({ status: "SUCCEEDED", mode: "incremental" });
    expect(emulator.userByName(users[0]!.userName)).toBeUndefined();
    expect(
      emulator.requests
        .filter((r) => r.method === "DELETE")
        .map((r) => r.path.split("/").at(-1))
        .sort(),
    ).toEqual([again.id, second].sort());
    const ops = await operationsOf(tenant.id, profileId, run.id);
    expect(ops.find((o) => o.name === users[0]!.userName.toLowerCase())).toMatchObject({
      action: "deleted",
      result: "SUCCESS",
      remoteId: again.id,
    });
    expect(ops.find((o) => o.name === users[1]!.userName.toLowerCase())).toMatchObject({
      action: "skipped",
      reason: expect.stringMatching(/gone from the target: nothing to delete/),
    });
    expect(await db().exportLink.count({ where: { profileId, objectType: "USER" } })).toBe(1);
  });

  it("a group renamed on Databricks is another group: ours is created again with its members, the renamed one is left alone", async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 2);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });
    await syncNow(tenant.id, profileId);
    const renamed = emulator.groupByName(group.displayName)!;
    emulator.adminEditGroup(renamed.id, { displayName: `${group.displayName} (theirs)` });
    emulator.resetCounters();
    const run = await fullReconcile(tenant.id, profileId);
    expect(run.status).toBe("SUCCEEDED");
    const ours = emulator.groupByName(group.displayName)!;
    expect(ours.id).not.toBe(renamed.id);
    expect(ours.members.sort()).toEqual(users.map((u) => remote(u.userName).id).sort());
    expect(emulator.groupByName(`${group.displayName} (theirs)`)!.members.sort()).toEqual(renamed.members.sort());
    expect(emulator.requests.filter((r) => r.method !== "GET" && r.path.endsWith(`/Groups/${renamed.id}`))).toEqual([]);
    const op = (await operationsOf(tenant.id, profileId, run.id)).find((o) => o.objectType === "GROUP" && o.action === "created")!;
    expect(op.reason).toBe(
      `re-created: the remembered id ${renamed.id} now holds another group (${group.displayName} (theirs)), which is left alone`,
    );
  });
});

describe("Provision one user reads the target first", () => {
  it("reads the user by id before saying 'nothing to change', shows what it read, and repairs what it found", async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 2);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });
    await syncNow(tenant.id, profileId);
    const id = remote(users[0]!.userName).id;
    emulator.resetCounters();

    const same = await provisionUserOnDemand({ tenantId: tenant.id, profileId, userId: users[0]!.id });
    expect(same.outcome).toBe("unchanged");
    expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toContain(`GET /api/2.0/preview/scim/v2/Users/${id}`);
    const match = same.steps.find((s) => s.step === "match")!;
    expect(match).toMatchObject({ status: "ok", title: "Matched on the target" });
    expect(match.data).toMatchObject({
      read: {
        request: `GET /Users/${id}`,
        status: 200,
        resource: { id, userName: users[0]!.userName.toLowerCase(), displayName: "Given0 Family0" },
      },
    });
    expect(same.steps.find((s) => s.step === "action")!.detail).toMatch(/read just now/);

    emulator.adminEditUser(id, { displayName: "Drifted" });
    const drifted = await provisionUserOnDemand({ tenantId: tenant.id, profileId, userId: users[0]!.id });
    expect(drifted.outcome).toBe("updated");
    expect(drifted.steps.find((s) => s.step === "match")!.data).toMatchObject({ read: { resource: { displayName: "Drifted" } } });
    expect(remote(users[0]!.userName).displayName).toBe("Given0 Family0");

    emulator.adminDeleteUser(id);
    const gone = await provisionUserOnDemand({ tenantId: tenant.id, profileId, userId: users[0]!.id });
    expect(gone.outcome).toBe("created");
    expect(gone.steps.find((s) => s.step === "match")).toMatchObject({ status: "skipped", title: "Not on the target" });
    expect(emulator.groupByName(group.displayName)!.members).toContain(remote(users[0]!.userName).id);

    // The other user's id now holds a stranger: provisioning it creates it anew and leaves the stranger alone.
    const otherId = remote(users[1]!.userName).id;
    emulator.adminDeleteUser(otherId);
    emulator.restart();
    const strangers = [0, 1, 2, 3, 4].map((i) => emulator.seedUser({ userName: `s${i}@elsewhere.test` }));
    const holder = strangers.find((s) => s.id === otherId)!;
    const before = structuredClone(holder);
    const reused = await provisionUserOnDemand({ tenantId: tenant.id, profileId, userId: users[1]!.id });
    expect(reused.outcome).toBe("created");
    expect(emulator.users().find((u) => u.id === otherId)).toEqual(before);
    expect(reused.steps.find((s) => s.step === "match")!.detail).toMatch(/now holds another user/);
  });
});
