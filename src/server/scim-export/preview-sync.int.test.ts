import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startDatabricksEmulator, type DatabricksEmulator } from "@/testing/databricks-emulator";
import { removeGroupMembers, updateUser } from "../directory";
import { db } from "../db";
import { newConfiguredProfile, newGroupWithUsers, newTenant, syncNow } from "../../testing/factories/scim-export";
import { previewExportSync } from "./preview-sync";

let emulator: DatabricksEmulator;
beforeAll(async () => {
  emulator = await startDatabricksEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.resetCounters());

/** Everything the database holds about a profile's syncs: a preview must leave it exactly as it was. */
async function syncState(profileId: string) {
  const [runs, operations, links, memberLinks, profile] = await Promise.all([
    db().exportRun.count({ where: { profileId } }),
    db().exportOperation.count({ where: { profileId } }),
    db().exportLink.findMany({ where: { profileId }, orderBy: [{ objectType: "asc" }, { localId: "asc" }] }),
    db().exportMemberLink.count({ where: { profileId } }),
    db().exportProfile.findUniqueOrThrow({
      where: { id: profileId },
      select: { lastSyncAt: true, lastSyncStatus: true, syncedChangeId: true, nextSyncAt: true },
    }),
  ]);
  return { runs, operations, links, memberLinks, profile };
}

describe("Preview sync (dry run) against the Databricks emulator", () => {
  it("shows the creates and memberships of a first sync, sends only GETs and writes nothing", async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 3);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });
    const before = await syncState(profileId);
    emulator.requests = [];

    const preview = await previewExportSync({ tenantId: tenant.id, profileId });

    expect(preview.status).toBe("SUCCEEDED");
    expect(preview.totals).toMatchObject({ usersCreated: 3, groupsCreated: 1, membersAdded: 3, errors: 0 });
    const created = preview.operations.filter((o) => o.objectType === "USER" && o.action === "created");
    expect(created.map((o) => o.name).sort()).toEqual(users.map((u) => u.userName).sort());
    expect(preview.operations.find((o) => o.action === "members_added")!.changes[0]!.new).toEqual(
      expect.arrayContaining(users.map((u) => u.userName)),
    );
    // The target saw reads only, and holds nothing; the database is as it was.
    expect(emulator.requests.length).toBeGreaterThan(0);
    expect(new Set(emulator.requests.map((r) => r.method))).toEqual(new Set(["GET"]));
    expect(emulator.counters.writes).toBe(0);
    expect(emulator.users()).toHaveLength(0);
    expect(preview.readRequests).toBe(emulator.requests.length);
    expect(await syncState(profileId)).toEqual(before);
  });

  it("shows updates with old and new values, deactivations and member removals, past the deletion threshold", async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 4);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id], deletionThreshold: 1 });
    expect((await syncNow(tenant.id, profileId)).status).toBe("SUCCEEDED");
    await updateUser({ tenantId: tenant.id, userId: users[0]!.id, source: "CONSOLE", fields: { givenName: "Renamed" } } as never);
    await removeGroupMembers({ tenantId: tenant.id, groupId: group.id, source: "CONSOLE", userIds: [users[1]!.id, users[2]!.id] });
    const before = await syncState(profileId);
    emulator.requests = [];
    emulator.resetCounters();

    const preview = await previewExportSync({ tenantId: tenant.id, profileId });

    expect(preview.totals).toMatchObject({ usersUpdated: 1, usersDeactivated: 2, membersRemoved: 2, usersCreated: 0 });
    const updated = preview.operations.find((o) => o.action === "updated")!;
    expect(updated.name).toBe(users[0]!.userName);
    expect(updated.changes).toEqual(expect.arrayContaining([{ attribute: "name.givenName", old: "Given0", new: "Renamed" }]));
    expect(preview.pendingDeletions).toBe(2);
    expect(preview.deletionThreshold).toBe(1);
    expect(emulator.requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(emulator.userByName(users[0]!.userName)!.name?.givenName).toBe("Given0");
    expect(emulator.userByName(users[1]!.userName)!.active).toBe(true);
    expect(await syncState(profileId)).toEqual(before);

    // The real sync then does what the preview said (it stops at the threshold; confirmed, it goes on).
    const real = await syncNow(tenant.id, profileId);
    expect(real.status).toBe("NEEDS_CONFIRMATION");
  });

  it("says why the sync would fail (bad token) without changing the profile's failure count", async () => {
    const tenant = await newTenant();
    const { group } = await newGroupWithUsers(tenant.id, 1);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id], token: "dapi-wrong" });
    const preview = await previewExportSync({ tenantId: tenant.id, profileId });
    expect(preview.status).toBe("FAILED");
    expect(preview.message).toMatch(/token/i);
    const profile = await db().exportProfile.findUniqueOrThrow({ where: { id: profileId }, select: { consecutiveFailures: true } });
    expect(profile.consecutiveFailures).toBe(0);
  });
});
