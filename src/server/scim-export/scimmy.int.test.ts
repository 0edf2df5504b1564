import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScimmyServer } from "@/testing/scimmy-server/server";
import { removeGroupMembers, updateUser } from "../directory";
import { fastRetries, newConfiguredProfile, newGroupWithUsers, newTenant, syncNow } from "./testing/factories";

let scimmy: Awaited<ReturnType<typeof startScimmyServer>>;
beforeAll(async () => {
  fastRetries();
  scimmy = await startScimmyServer();
});
afterAll(() => scimmy.stop());

describe("sync into an independent SCIM 2.0 server (SCIMMY)", () => {
  it("creates, updates incrementally, removes members with filtered paths and deactivates leavers", async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 3);
    const profileId = await newConfiguredProfile(tenant.id, null, { type: "SCIM", baseUrl: scimmy.baseUrl, token: scimmy.token, groupIds: [group.id] });
    const first = await syncNow(tenant.id, profileId);
    expect(first.status).toBe("SUCCEEDED");
    expect(scimmy.users().map((u) => u.userName).sort()).toEqual(users.map((u) => u.userName).sort());
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
});
