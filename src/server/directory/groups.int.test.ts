import { describe, expect, it } from "vitest";
import { db } from "../db";
import { createGroup } from "./create-group";
import { deleteGroup } from "./delete-group";
import { countGroupMembers, getGroup } from "./get-group";
import { addGroupMembers, removeGroupMembers, replaceGroupMembers } from "./group-members";
import { groupsOfUser } from "./groups-of-user";
import { listGroupMembers } from "./list-group-members";
import { listGroups } from "./list-groups";
import { changesOf, newTenant, newUser } from "../../testing/factories/directory";
import { updateGroup } from "./update-group";
import { deleteUser } from "./delete-user";

async function users(tenantId: string, count: number) {
  const made = [];
  for (let i = 0; i < count; i += 1) made.push(await newUser(tenantId));
  return made.map((u) => u.id);
}

async function memberIds(groupId: string) {
  const rows = await db().groupMember.findMany({ where: { groupId }, select: { userId: true } });
  return rows.map((r) => r.userId).sort();
}

describe("directory groups", () => {
  it("creates, renames and deletes a group, with case-insensitive unique names", async () => {
    const tenant = await newTenant();
    const group = await createGroup({ tenantId: tenant.id, source: "CONSOLE", fields: { displayName: "Data" } });
    expect(group).toMatchObject({ displayName: "Data", displayNameKey: "data", version: 1 });
    await expect(createGroup({ tenantId: tenant.id, source: "SCIM", fields: { displayName: "DATA" } })).rejects.toMatchObject({
      code: "CONFLICT",
      field: "displayName",
    });
    const other = await createGroup({ tenantId: tenant.id, source: "CONSOLE", fields: { displayName: "Sales" } });
    await expect(
      updateGroup({ tenantId: tenant.id, groupId: other.id, source: "CONSOLE", fields: { displayName: "data" } }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      field: "displayName",
    });
    const renamed = await updateGroup({
      tenantId: tenant.id,
      groupId: group.id,
      source: "CONSOLE",
      fields: { displayName: "Data Platform" },
    });
    expect(renamed).toMatchObject({ displayName: "Data Platform", displayNameKey: "data platform", version: 2 });
    await deleteGroup({ tenantId: tenant.id, groupId: group.id, source: "CONSOLE" });
    await expect(getGroup({ tenantId: tenant.id, groupId: group.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await changesOf(tenant.id)).map((c) => `${c.entity} ${c.action}`)).toEqual([
      "GROUP CREATED",
      "GROUP CREATED",
      "GROUP UPDATED",
      "GROUP DELETED",
    ]);
  });

  it("changes members by delta: adding, removing one, replacing; never clearing the group by accident", async () => {
    const tenant = await newTenant();
    const ids = await users(tenant.id, 6);
    const group = await createGroup({
      tenantId: tenant.id,
      source: "SCIM",
      fields: { displayName: "Eng" },
      members: { userIds: ids.slice(0, 3) },
    });
    expect(await memberIds(group.id)).toEqual(ids.slice(0, 3).sort());

    await expect(
      addGroupMembers({ tenantId: tenant.id, groupId: group.id, source: "SCIM", userIds: [ids[2]!, ids[3]!, ids[3]!] }),
    ).resolves.toEqual({
      added: 1,
      removed: 0,
    });
    await expect(removeGroupMembers({ tenantId: tenant.id, groupId: group.id, source: "SCIM", userIds: [ids[0]!] })).resolves.toEqual({
      added: 0,
      removed: 1,
    });
    expect(await memberIds(group.id)).toEqual([ids[1]!, ids[2]!, ids[3]!].sort());
    // Removing nobody, or an unknown id, changes nothing and records nothing.
    await removeGroupMembers({ tenantId: tenant.id, groupId: group.id, source: "SCIM", userIds: [] });
    await removeGroupMembers({ tenantId: tenant.id, groupId: group.id, source: "SCIM", userIds: ["nope"] });
    expect((await memberIds(group.id)).length).toBe(3);

    await expect(
      replaceGroupMembers({ tenantId: tenant.id, groupId: group.id, source: "SCIM", userIds: [ids[3]!, ids[4]!, ids[5]!] }),
    ).resolves.toEqual({
      added: 2,
      removed: 2,
    });
    expect(await memberIds(group.id)).toEqual([ids[3]!, ids[4]!, ids[5]!].sort());
    expect((await countGroupMembers({ tenantId: tenant.id, groupIds: [group.id] })).get(group.id)).toBe(3);

    const actions = (await changesOf(tenant.id)).filter((c) => c.entity === "GROUP").map((c) => c.action);
    expect(actions).toEqual(["CREATED", "MEMBERS_CHANGED", "MEMBERS_CHANGED", "MEMBERS_CHANGED"]);
    expect((await getGroup({ tenantId: tenant.id, groupId: group.id })).version).toBe(4);
  });

  it("refuses unknown or foreign user ids, naming them, and changes nothing", async () => {
    const tenant = await newTenant();
    const other = await newTenant();
    const [mine] = await users(tenant.id, 1);
    const [foreign] = await users(other.id, 1);
    const group = await createGroup({ tenantId: tenant.id, source: "CONSOLE", fields: { displayName: "G" } });
    const missing = "00000000-0000-4000-8000-000000000000";
    const attempt = addGroupMembers({
      tenantId: tenant.id,
      groupId: group.id,
      source: "CONSOLE",
      userIds: [mine!, foreign!, missing, "junk"],
    });
    await expect(attempt).rejects.toMatchObject({ code: "BAD_REQUEST", field: "userIds" });
    await expect(attempt).rejects.toThrow(new RegExp(`${foreign}.*${missing}.*junk`));
    expect(await memberIds(group.id)).toEqual([]);
    await addGroupMembers({ tenantId: tenant.id, groupId: group.id, source: "CONSOLE", userIds: [mine!] });
    await expect(
      replaceGroupMembers({ tenantId: tenant.id, groupId: group.id, source: "CONSOLE", userIds: [foreign!] }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    // The replace rolled back: the member is still there.
    expect(await memberIds(group.id)).toEqual([mine]);
  });

  it("nests groups and refuses cycles", async () => {
    const tenant = await newTenant();
    const a = await createGroup({ tenantId: tenant.id, source: "SCIM", fields: { displayName: "A" } });
    const b = await createGroup({ tenantId: tenant.id, source: "SCIM", fields: { displayName: "B" } });
    const c = await createGroup({ tenantId: tenant.id, source: "SCIM", fields: { displayName: "C" } });
    await addGroupMembers({ tenantId: tenant.id, groupId: a.id, source: "SCIM", groupIds: [b.id] });
    await addGroupMembers({ tenantId: tenant.id, groupId: b.id, source: "SCIM", groupIds: [c.id] });
    await expect(addGroupMembers({ tenantId: tenant.id, groupId: c.id, source: "SCIM", groupIds: [a.id] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(addGroupMembers({ tenantId: tenant.id, groupId: a.id, source: "SCIM", groupIds: [a.id] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await db().groupNesting.count({ where: { parentId: { in: [a.id, b.id, c.id] } } })).toBe(2);
    await removeGroupMembers({ tenantId: tenant.id, groupId: a.id, source: "SCIM", groupIds: [b.id] });
    expect(await db().groupNesting.count({ where: { parentId: a.id } })).toBe(0);
  });

  it("keeps groups inside their tenant", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const group = await createGroup({ tenantId: a.id, source: "CONSOLE", fields: { displayName: "Secret" } });
    const [userB] = await users(b.id, 1);
    await expect(getGroup({ tenantId: b.id, groupId: group.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(updateGroup({ tenantId: b.id, groupId: group.id, source: "CONSOLE", fields: { displayName: "x" } })).rejects.toMatchObject(
      { code: "NOT_FOUND" },
    );
    await expect(deleteGroup({ tenantId: b.id, groupId: group.id, source: "CONSOLE" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(addGroupMembers({ tenantId: b.id, groupId: group.id, source: "CONSOLE", userIds: [userB!] })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(listGroupMembers({ tenantId: b.id, groupId: group.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await countGroupMembers({ tenantId: b.id, groupIds: [group.id] })).size).toBe(0);
    expect((await listGroups({ tenantId: b.id })).total).toBe(0);
  });

  it("lists groups with search, sort, paging and member counts", async () => {
    const tenant = await newTenant();
    const ids = await users(tenant.id, 3);
    const names = ["Finance", "Engineering", "Data Engineering", "Sales", "support_team", "50% Club"];
    for (const displayName of names) await createGroup({ tenantId: tenant.id, source: "CONSOLE", fields: { displayName } });
    const eng = (await listGroups({ tenantId: tenant.id, search: "ENGINEER" })).items;
    expect(eng.map((g) => g.displayName)).toEqual(["Data Engineering", "Engineering"]);
    await addGroupMembers({ tenantId: tenant.id, groupId: eng[1]!.id, source: "CONSOLE", userIds: ids });
    expect((await listGroups({ tenantId: tenant.id, search: "engineering" })).items.map((g) => g.memberCount)).toEqual([0, 3]);
    expect((await listGroups({ tenantId: tenant.id, search: "_" })).items.map((g) => g.displayName)).toEqual(["support_team"]);
    expect((await listGroups({ tenantId: tenant.id, search: "%" })).items.map((g) => g.displayName)).toEqual(["50% Club"]);
    const desc = await listGroups({ tenantId: tenant.id, sort: { field: "displayName", direction: "desc" }, offset: 2, limit: 2 });
    expect(desc).toMatchObject({ total: 6, items: [{ displayName: "Finance" }, { displayName: "Engineering" }] });
    const seen = [];
    for (let offset = 0; offset < 6; offset += 4) {
      seen.push(...(await listGroups({ tenantId: tenant.id, sort: { field: "createdAt", direction: "desc" }, offset, limit: 4 })).items);
    }
    expect(new Set(seen.map((g) => g.id)).size).toBe(6);
  });

  it("lists a group's members (searchable) and a user's groups; deleting a user drops the memberships", async () => {
    const tenant = await newTenant();
    const ann = await newUser(tenant.id, { userName: "ann@example.com", displayName: "Ann Archer" });
    const bob = await newUser(tenant.id, { userName: "bob@example.com", displayName: "Bob Baker" });
    const g1 = await createGroup({
      tenantId: tenant.id,
      source: "CONSOLE",
      fields: { displayName: "Zeta" },
      members: { userIds: [ann.id, bob.id] },
    });
    const g2 = await createGroup({
      tenantId: tenant.id,
      source: "CONSOLE",
      fields: { displayName: "Alpha" },
      members: { userIds: [ann.id] },
    });
    const page = await listGroupMembers({ tenantId: tenant.id, groupId: g1.id, search: "bak" });
    expect(page).toMatchObject({ total: 1, items: [{ id: bob.id }] });
    expect((await groupsOfUser({ tenantId: tenant.id, userId: ann.id })).map((g) => g.id)).toEqual([g2.id, g1.id]);
    await deleteUser({ tenantId: tenant.id, userId: ann.id, source: "CONSOLE" });
    expect(await memberIds(g1.id)).toEqual([bob.id]);
    expect(await memberIds(g2.id)).toEqual([]);
  });
});
