import { describe, expect, it } from "vitest";
import { changesOf } from "../../testing/factories/directory";
import { newMemberOf, newOwner } from "../../testing/factories/trpc";

const form = (userName: string, extra: Partial<Record<string, string | boolean>> = {}) => ({
  userName,
  givenName: "",
  familyName: "",
  displayName: "",
  email: "",
  title: "",
  department: "",
  active: true,
  ...extra,
});

describe("users and groups routers", () => {
  it("creates, edits, deactivates and deletes a user, shaping output without internals", async () => {
    const owner = await newOwner();
    const tenantSlug = owner.slug;
    const { id } = await owner.caller.users.create({
      tenantSlug,
      ...form("Jane@Example.com", { givenName: "Jane", familyName: "Doe", email: "jane@example.com" }),
    });
    const user = await owner.caller.users.get({ tenantSlug, userId: id });
    expect(user).toMatchObject({
      userName: "Jane@Example.com",
      email: "jane@example.com",
      source: "CONSOLE",
      active: true,
      emails: [{ value: "jane@example.com", primary: true }],
    });
    expect(user).not.toHaveProperty("searchText");
    expect(user).not.toHaveProperty("tenantId");
    expect(user).not.toHaveProperty("userNameKey");

    await expect(owner.caller.users.create({ tenantSlug, ...form("JANE@example.com") })).rejects.toMatchObject({
      code: "CONFLICT",
      cause: { field: "userName" },
    });
    await expect(owner.caller.users.create({ tenantSlug, ...form("  ") })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(owner.caller.users.create({ tenantSlug, ...form("x", { email: "not-an-email" }) })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });

    const edited = await owner.caller.users.update({
      tenantSlug,
      userId: id,
      ...form("jane.doe@example.com", { displayName: "Jane D.", department: "Data" }),
    });
    expect(edited).toMatchObject({
      userName: "jane.doe@example.com",
      displayName: "Jane D.",
      department: "Data",
      givenName: null,
      email: null,
      version: 2,
    });
    await expect(owner.caller.users.setActive({ tenantSlug, userId: id, active: false })).resolves.toEqual({ id, active: false });
    const list = await owner.caller.users.list({ tenantSlug, status: "inactive" });
    expect(list).toMatchObject({ total: 1, items: [{ id, active: false }] });
    await owner.caller.users.delete({ tenantSlug, userId: id });
    await expect(owner.caller.users.get({ tenantSlug, userId: id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(owner.caller.users.get({ tenantSlug, userId: "garbage" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("pages and searches users through the router", async () => {
    const owner = await newOwner();
    const tenantSlug = owner.slug;
    for (let i = 0; i < 12; i += 1)
      await owner.caller.users.create({ tenantSlug, ...form(`user${String(i).padStart(2, "0")}@example.com`) });
    const first = await owner.caller.users.list({ tenantSlug, page: 1, pageSize: 5 });
    const third = await owner.caller.users.list({ tenantSlug, page: 3, pageSize: 5 });
    expect(first.total).toBe(12);
    expect(first.items.map((u) => u.userName)).toEqual(["user00", "user01", "user02", "user03", "user04"].map((n) => `${n}@example.com`));
    expect(third.items.map((u) => u.userName)).toEqual(["user10@example.com", "user11@example.com"]);
    expect((await owner.caller.users.list({ tenantSlug, search: "USER1" })).items.map((u) => u.userName)).toEqual([
      "user10@example.com",
      "user11@example.com",
    ]);
    await expect(owner.caller.users.list({ tenantSlug, pageSize: 101 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("manages groups and members, and the picker leaves out current members", async () => {
    const owner = await newOwner();
    const tenantSlug = owner.slug;
    const a = await owner.caller.users.create({ tenantSlug, ...form("alice@example.com") });
    const b = await owner.caller.users.create({ tenantSlug, ...form("albert@example.com") });
    const group = await owner.caller.groups.create({ tenantSlug, displayName: "Data" });
    await expect(owner.caller.groups.create({ tenantSlug, displayName: "data" })).rejects.toMatchObject({
      code: "CONFLICT",
      cause: { field: "displayName" },
    });
    await expect(owner.caller.groups.addMembers({ tenantSlug, groupId: group.id, userIds: [a.id, b.id] })).resolves.toEqual({ added: 2 });
    expect(await owner.caller.groups.get({ tenantSlug, groupId: group.id })).toMatchObject({ displayName: "Data", memberCount: 2 });
    await expect(owner.caller.groups.removeMembers({ tenantSlug, groupId: group.id, userIds: [a.id] })).resolves.toEqual({ removed: 1 });
    const members = await owner.caller.groups.members({ tenantSlug, groupId: group.id });
    expect(members).toMatchObject({ total: 1, items: [{ id: b.id }] });
    const picker = await owner.caller.users.search({ tenantSlug, query: "al", excludeGroupId: group.id });
    expect(picker.map((u) => u.id)).toEqual([a.id]);
    expect(await owner.caller.users.groups({ tenantSlug, userId: b.id })).toEqual([
      { id: group.id, displayName: "Data", source: "CONSOLE" },
    ]);
    await owner.caller.groups.rename({ tenantSlug, groupId: group.id, displayName: "Data Platform" });
    expect((await owner.caller.groups.list({ tenantSlug, search: "platf" })).items).toMatchObject([
      { displayName: "Data Platform", memberCount: 1 },
    ]);
    await owner.caller.groups.delete({ tenantSlug, groupId: group.id });
    await expect(owner.caller.groups.get({ tenantSlug, groupId: group.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const tenant = await owner.caller.tenant.get({ tenantSlug });
    expect((await changesOf(tenant.id)).every((c) => c.source === "CONSOLE")).toBe(true);
  });

  it("lets viewers read but refuses their writes", async () => {
    const owner = await newOwner();
    const tenantSlug = owner.slug;
    const viewer = await newMemberOf(owner);
    const user = await owner.caller.users.create({ tenantSlug, ...form("v@example.com") });
    const group = await owner.caller.groups.create({ tenantSlug, displayName: "G" });
    await expect(viewer.users.list({ tenantSlug })).resolves.toMatchObject({ total: 1 });
    await expect(viewer.groups.members({ tenantSlug, groupId: group.id })).resolves.toMatchObject({ total: 0 });
    const forbidden = { code: "FORBIDDEN" };
    await expect(viewer.users.create({ tenantSlug, ...form("w@example.com") })).rejects.toMatchObject(forbidden);
    await expect(viewer.users.update({ tenantSlug, userId: user.id, ...form("w@example.com") })).rejects.toMatchObject(forbidden);
    await expect(viewer.users.setActive({ tenantSlug, userId: user.id, active: false })).rejects.toMatchObject(forbidden);
    await expect(viewer.users.delete({ tenantSlug, userId: user.id })).rejects.toMatchObject(forbidden);
    await expect(viewer.groups.create({ tenantSlug, displayName: "H" })).rejects.toMatchObject(forbidden);
    await expect(viewer.groups.rename({ tenantSlug, groupId: group.id, displayName: "H" })).rejects.toMatchObject(forbidden);
    await expect(viewer.groups.delete({ tenantSlug, groupId: group.id })).rejects.toMatchObject(forbidden);
    await expect(viewer.groups.addMembers({ tenantSlug, groupId: group.id, userIds: [user.id] })).rejects.toMatchObject(forbidden);
    await expect(viewer.groups.removeMembers({ tenantSlug, groupId: group.id, userIds: [user.id] })).rejects.toMatchObject(forbidden);
    await expect(owner.caller.users.get({ tenantSlug, userId: user.id })).resolves.toMatchObject({ active: true });
  });

  it("gives tenant B not-found for every id of tenant A", async () => {
    const a = await newOwner();
    const b = await newOwner();
    const user = await a.caller.users.create({ tenantSlug: a.slug, ...form("secret@example.com") });
    const group = await a.caller.groups.create({ tenantSlug: a.slug, displayName: "Secret" });
    const bUser = await b.caller.users.create({ tenantSlug: b.slug, ...form("mine@example.com") });
    const bGroup = await b.caller.groups.create({ tenantSlug: b.slug, displayName: "Mine" });
    const s = b.slug;
    const notFound = { code: "NOT_FOUND" };
    await expect(b.caller.users.get({ tenantSlug: s, userId: user.id })).rejects.toMatchObject(notFound);
    await expect(b.caller.users.groups({ tenantSlug: s, userId: user.id })).rejects.toMatchObject(notFound);
    await expect(b.caller.users.update({ tenantSlug: s, userId: user.id, ...form("x@example.com") })).rejects.toMatchObject(notFound);
    await expect(b.caller.users.setActive({ tenantSlug: s, userId: user.id, active: false })).rejects.toMatchObject(notFound);
    await expect(b.caller.users.delete({ tenantSlug: s, userId: user.id })).rejects.toMatchObject(notFound);
    await expect(b.caller.groups.get({ tenantSlug: s, groupId: group.id })).rejects.toMatchObject(notFound);
    await expect(b.caller.groups.members({ tenantSlug: s, groupId: group.id })).rejects.toMatchObject(notFound);
    await expect(b.caller.groups.rename({ tenantSlug: s, groupId: group.id, displayName: "x" })).rejects.toMatchObject(notFound);
    await expect(b.caller.groups.delete({ tenantSlug: s, groupId: group.id })).rejects.toMatchObject(notFound);
    await expect(b.caller.groups.addMembers({ tenantSlug: s, groupId: group.id, userIds: [bUser.id] })).rejects.toMatchObject(notFound);
    // Tenant A's user cannot be put into tenant B's group either.
    await expect(b.caller.groups.addMembers({ tenantSlug: s, groupId: bGroup.id, userIds: [user.id] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    // Nor can B name A's tenant.
    await expect(b.caller.users.list({ tenantSlug: a.slug })).rejects.toMatchObject(notFound);
    expect((await b.caller.users.list({ tenantSlug: s })).items.map((u) => u.id)).toEqual([bUser.id]);
    await expect(a.caller.users.get({ tenantSlug: a.slug, userId: user.id })).resolves.toMatchObject({ id: user.id });
  });
});
