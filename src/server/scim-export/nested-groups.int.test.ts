/**
 * Nested groups on the target (per profile, with "Include members of nested groups"): FLATTEN
 * makes a parent list every user below it, once each; NESTED pushes child groups as members of
 * their parent (SCIM Group members of type Group). Incremental runs, full reconciles and drift
 * repair honour the choice, and changing it reconciles. Against the Databricks emulator and an
 * independent SCIM server (SCIMMY).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDatabricksEmulator, type DatabricksEmulator } from "@/testing/databricks-emulator";
import { startScimmyServer } from "@/testing/scimmy-server/server";
import { addGroupMembers, createGroup, removeGroupMembers } from "../directory";
import { newConfiguredProfile, newTenant, newUser, syncNow, unique } from "../../testing/factories/scim-export";
import { fullReconcile } from "../../testing/factories/scim-export-runs";
import { setExportAssignedGroups } from "./assigned-groups";

type Target = {
  type: "DATABRICKS" | "SCIM";
  baseUrl: string;
  token: string;
  /** The members of a group on the target, as userNames and "group:<displayName>", sorted. */
  members(displayName: string): string[];
  userId(userName: string): string;
};

let emulator: DatabricksEmulator;
let scimmy: Awaited<ReturnType<typeof startScimmyServer>>;
beforeAll(async () => {
  [emulator, scimmy] = await Promise.all([startDatabricksEmulator(), startScimmyServer()]);
});
afterAll(async () => {
  await Promise.all([emulator.stop(), scimmy.stop()]);
});

function databricks(): Target {
  const names = (id: string) =>
    emulator.users().find((u) => u.id === id)?.userName ?? `group:${emulator.groups().find((g) => g.id === id)?.displayName}`;
  const group = (displayName: string) => emulator.groups().find((g) => g.displayName === displayName)!;
  return {
    type: "DATABRICKS",
    baseUrl: emulator.workspaceUrl,
    token: emulator.token,
    members: (displayName) => group(displayName).members.map(names).sort(),
    userId: (userName) => emulator.users().find((u) => u.userName === userName)!.id,
  };
}

function scimmyTarget(): Target {
  const names = (id: string) =>
    String(scimmy.users().find((u) => u.id === id)?.userName ?? `group:${String(scimmy.groups().find((g) => g.id === id)?.displayName)}`);
  const group = (displayName: string) => scimmy.groups().find((g) => g.displayName === displayName)!;
  return {
    type: "SCIM",
    baseUrl: scimmy.baseUrl,
    token: scimmy.token,
    members: (displayName) => ((group(displayName).members as { value: string }[] | undefined) ?? []).map((m) => names(m.value)).sort(),
    userId: (userName) => String(scimmy.users().find((u) => u.userName === userName)!.id),
  };
}

/** Parent ⊃ Child ⊃ Grandchild, one user directly in each; the profile syncs Parent with nested groups. */
async function nestedTree(target: Target) {
  const tenant = await newTenant();
  const [a, b, c] = [await newUser(tenant.id), await newUser(tenant.id), await newUser(tenant.id)];
  const group = (name: string) => createGroup({ tenantId: tenant.id, source: "CONSOLE", fields: { displayName: unique(name) } });
  const [parent, child, grandchild] = [await group("Parent"), await group("Child"), await group("Grandchild")];
  const add = (groupId: string, fields: { userIds?: string[]; groupIds?: string[] }) =>
    addGroupMembers({ tenantId: tenant.id, groupId, source: "CONSOLE", ...fields });
  await add(parent.id, { userIds: [a.id], groupIds: [child.id] });
  await add(child.id, { userIds: [b.id], groupIds: [grandchild.id] });
  await add(grandchild.id, { userIds: [c.id] });
  const profileId = await newConfiguredProfile(tenant.id, null, { type: target.type, baseUrl: target.baseUrl, token: target.token });
  const choose = (nestedGroupsOnTarget: "FLATTEN" | "NESTED") =>
    setExportAssignedGroups({ tenantId: tenant.id, profileId, groupIds: [parent.id], includeNestedGroups: true, nestedGroupsOnTarget });
  return { tenant, profileId, users: { a, b, c }, groups: { parent, child, grandchild }, add, choose };
}

describe.each([
  ["the Databricks emulator", databricks],
  ["an independent SCIM server (SCIMMY)", scimmyTarget],
])("nested groups on %s", (_name, targetOf) => {
  it("FLATTEN: a parent lists every user below it, once; incremental runs and a full reconcile keep it so", async () => {
    const target = targetOf();
    const { tenant, profileId, users, groups, add, choose } = await nestedTree(target);
    await choose("FLATTEN");
    expect((await syncNow(tenant.id, profileId)).status).toBe("SUCCEEDED");
    const { a, b, c } = users;
    expect(target.members(groups.parent.displayName)).toEqual([a.userName, b.userName, c.userName].sort());
    expect(target.members(groups.child.displayName)).toEqual([b.userName, c.userName].sort());
    expect(target.members(groups.grandchild.displayName)).toEqual([c.userName]);

    // A user joins the grandchild (also directly the parent: listed once) and b leaves the child:
    // an incremental run puts every group above in line.
    const d = await newUser(tenant.id);
    await add(groups.grandchild.id, { userIds: [d.id] });
    await add(groups.parent.id, { userIds: [d.id] });
    await removeGroupMembers({ tenantId: tenant.id, groupId: groups.child.id, source: "CONSOLE", userIds: [b.id] });
    const second = await syncNow(tenant.id, profileId);
    expect(second).toMatchObject({ status: "SUCCEEDED", mode: "incremental" });
    expect(target.members(groups.parent.displayName)).toEqual([a.userName, c.userName, d.userName].sort());
    expect(target.members(groups.child.displayName)).toEqual([c.userName, d.userName].sort());

    // Someone takes c out of the parent on the target: the full reconcile puts it back.
    const parentRemote = target.members(groups.parent.displayName);
    if (target.type === "DATABRICKS") {
      const g = emulator.groups().find((x) => x.displayName === groups.parent.displayName)!;
      emulator.adminEditGroup(g.id, { remove: [target.userId(c.userName)] });
    } else {
      const g = scimmy.groups().find((x) => x.displayName === groups.parent.displayName)!;
      scimmy.edit("Group", g.id, (x) => {
        x.members = (x.members as { value: string }[]).filter((m) => m.value !== target.userId(c.userName));
      });
    }
    expect(target.members(groups.parent.displayName)).not.toContain(c.userName);
    expect((await fullReconcile(tenant.id, profileId)).status).toBe("SUCCEEDED");
    expect(target.members(groups.parent.displayName)).toEqual(parentRemote);
  });

  it("NESTED: child groups are members of their parent; switching from FLATTEN reconciles, and back", async () => {
    const target = targetOf();
    const { tenant, profileId, users, groups, choose } = await nestedTree(target);
    const { a, b, c } = users;
    const { parent, child, grandchild } = groups;
    await choose("FLATTEN");
    expect((await syncNow(tenant.id, profileId)).status).toBe("SUCCEEDED");
    expect(target.members(parent.displayName)).toEqual([a.userName, b.userName, c.userName].sort());

    // Changing the choice makes the next run a full pass: the flattened users go, the children come in.
    await choose("NESTED");
    const nested = await syncNow(tenant.id, profileId);
    expect(nested).toMatchObject({ status: "SUCCEEDED", mode: "full" });
    expect(target.members(parent.displayName)).toEqual([a.userName, `group:${child.displayName}`].sort());
    expect(target.members(child.displayName)).toEqual([b.userName, `group:${grandchild.displayName}`].sort());
    expect(target.members(grandchild.displayName)).toEqual([c.userName]);
    // Nothing left to do: the next run writes nothing.
    const quiet = await syncNow(tenant.id, profileId);
    expect(quiet.status).toBe("SUCCEEDED");
    expect(target.members(parent.displayName)).toEqual([a.userName, `group:${child.displayName}`].sort());

    // The grandchild is taken out of the child in the directory: an incremental run removes it there.
    await removeGroupMembers({ tenantId: tenant.id, groupId: child.id, source: "CONSOLE", groupIds: [grandchild.id] });
    expect((await syncNow(tenant.id, profileId)).status).toBe("SUCCEEDED");
    expect(target.members(child.displayName)).toEqual([b.userName]);

    // Back to FLATTEN: the child group leaves the parent, its users come in.
    await choose("FLATTEN");
    expect((await syncNow(tenant.id, profileId)).status).toBe("SUCCEEDED");
    expect(target.members(parent.displayName)).toEqual([a.userName, b.userName].sort());
  });
});
