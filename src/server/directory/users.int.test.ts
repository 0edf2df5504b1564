import { describe, expect, it } from "vitest";
import { db } from "../db";
import { createUser } from "./create-user";
import { deleteUser } from "./delete-user";
import { findUserByUserName, getUser } from "./get-user";
import { listUsers, SEARCH_COUNT_CAP, USER_SORT_FIELDS, type UserSortField } from "./list-users";
import { setUserActive } from "./set-user-active";
import { changesOf, newTenant, newUser, unique } from "../../testing/factories/directory";
import { updateUser } from "./update-user";

describe("directory users", () => {
  it("creates a user with derived columns and a change-feed row", async () => {
    const tenant = await newTenant();
    const user = await createUser({
      tenantId: tenant.id,
      source: "SCIM",
      fields: {
        userName: "Ada.Lovelace@Example.com",
        givenName: "Ada",
        familyName: "Lovelace",
        displayName: "Ada Lovelace",
        emails: [
          { value: "ada@home.example", type: "home" },
          { value: "Ada@Work.Example", type: "work", primary: true },
        ],
      },
    });
    expect(user).toMatchObject({
      userName: "Ada.Lovelace@Example.com",
      userNameKey: "ada.lovelace@example.com",
      email: "ada@work.example",
      searchText: "ada.lovelace@example.com ada lovelace ada lovelace ada@work.example",
      source: "SCIM",
      version: 1,
      active: true,
    });
    expect(await changesOf(tenant.id)).toEqual([{ entity: "USER", entityId: user.id, action: "CREATED", source: "SCIM" }]);
    await expect(findUserByUserName({ tenantId: tenant.id, userName: "ADA.LOVELACE@example.COM" })).resolves.toMatchObject({ id: user.id });
  });

  it("refuses a userName taken in another letter case, but not in another tenant", async () => {
    const tenant = await newTenant();
    await newUser(tenant.id, { userName: "Grace@example.com" });
    await expect(newUser(tenant.id, { userName: "grace@EXAMPLE.com" })).rejects.toMatchObject({ code: "CONFLICT", field: "userName" });
    const other = await newTenant();
    await expect(newUser(other.id, { userName: "grace@example.com" })).resolves.toMatchObject({ userName: "grace@example.com" });
    // The failed create left no change-feed row behind.
    expect((await changesOf(tenant.id)).length).toBe(1);
  });

  it("updates only the given fields, bumps the version, and writes nothing when nothing changed", async () => {
    const tenant = await newTenant();
    const user = await newUser(tenant.id, { givenName: "Alan", familyName: "Turing", title: "Mathematician" });
    const updated = await updateUser({
      tenantId: tenant.id,
      userId: user.id,
      source: "CONSOLE",
      fields: { familyName: "Mathison", department: "R&D" },
    });
    expect(updated).toMatchObject({ givenName: "Alan", familyName: "Mathison", title: "Mathematician", department: "R&D", version: 2 });
    expect(updated.searchText).toContain("mathison");
    expect(updated.searchText).not.toContain("turing");
    const same = await updateUser({ tenantId: tenant.id, userId: user.id, source: "CONSOLE", fields: { familyName: "Mathison" } });
    expect(same.version).toBe(2);
    expect((await changesOf(tenant.id)).map((c) => c.action)).toEqual(["CREATED", "UPDATED"]);
    await expect(
      updateUser({ tenantId: tenant.id, userId: user.id, source: "SCIM", fields: { title: "x" }, expectedVersion: 1 }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("renaming onto a taken userName is a CONFLICT on userName", async () => {
    const tenant = await newTenant();
    await newUser(tenant.id, { userName: "taken@example.com" });
    const user = await newUser(tenant.id);
    await expect(
      updateUser({ tenantId: tenant.id, userId: user.id, source: "CONSOLE", fields: { userName: "TAKEN@example.com" } }),
    ).rejects.toMatchObject({ code: "CONFLICT", field: "userName" });
  });

  it("deactivates, reactivates and deletes", async () => {
    const tenant = await newTenant();
    const user = await newUser(tenant.id);
    await expect(setUserActive({ tenantId: tenant.id, userId: user.id, active: false, source: "CONSOLE" })).resolves.toMatchObject({
      active: false,
    });
    await expect(setUserActive({ tenantId: tenant.id, userId: user.id, active: true, source: "CONSOLE" })).resolves.toMatchObject({
      active: true,
    });
    await deleteUser({ tenantId: tenant.id, userId: user.id, source: "CONSOLE" });
    await expect(getUser({ tenantId: tenant.id, userId: user.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(deleteUser({ tenantId: tenant.id, userId: user.id, source: "CONSOLE" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await changesOf(tenant.id)).map((c) => c.action)).toEqual(["CREATED", "UPDATED", "UPDATED", "DELETED"]);
  });

  it("treats another tenant's user and malformed ids as not found", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const user = await newUser(a.id);
    await expect(getUser({ tenantId: b.id, userId: user.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(updateUser({ tenantId: b.id, userId: user.id, source: "CONSOLE", fields: { title: "x" } })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(deleteUser({ tenantId: b.id, userId: user.id, source: "CONSOLE" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getUser({ tenantId: a.id, userId: "not-a-uuid" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getUser({ tenantId: a.id, userId: user.id })).resolves.toMatchObject({ id: user.id });
  });

  it("composes in the caller's transaction: a failure undoes every call", async () => {
    const tenant = await newTenant();
    const name = `${unique("tx")}@example.com`;
    await expect(
      db().$transaction(async (tx) => {
        await createUser({ tenantId: tenant.id, tx, source: "SCIM", fields: { userName: name } });
        await createUser({ tenantId: tenant.id, tx, source: "SCIM", fields: { userName: name.toUpperCase() } });
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(findUserByUserName({ tenantId: tenant.id, userName: name })).resolves.toBeNull();
    expect(await changesOf(tenant.id)).toEqual([]);
  });
});

describe("listing users", () => {
  async function seed(count: number) {
    const tenant = await newTenant();
    const other = await newTenant();
    await newUser(other.id, { userName: "intruder@example.com", displayName: "Zed Intruder" });
    const names = ["Kim", "lee", "Ann", "bo", "Cy", "dee", "Eve", "fay"];
    for (let i = 0; i < count; i += 1) {
      const first = names[i % names.length]!;
      await newUser(tenant.id, {
        userName: `${first.toLowerCase()}.${i}@example.com`,
        // Duplicated display names and emails: the id tie-break must keep pages stable.
        displayName: i % 3 === 0 ? "Same Name" : `${first} Person${i}`,
        emails: [{ value: i % 4 === 0 ? "shared@example.com" : `${first}${i}@mail.example`, primary: true }],
        active: i % 5 !== 0,
      });
    }
    return tenant;
  }

  it("pages through every sort with every user exactly once, excluding other tenants", async () => {
    const tenant = await seed(23);
    for (const field of USER_SORT_FIELDS) {
      for (const direction of ["asc", "desc"] as const) {
        const seen: string[] = [];
        for (let offset = 0; offset < 30; offset += 7) {
          const page = await listUsers({ tenantId: tenant.id, sort: { field, direction }, offset, limit: 7 });
          expect(page.total).toBe(23);
          seen.push(...page.items.map((u) => u.id));
        }
        expect(seen.length, `${field} ${direction}`).toBe(23);
        expect(new Set(seen).size, `${field} ${direction}`).toBe(23);
      }
    }
  });

  it("sorts by the requested column", async () => {
    const tenant = await seed(10);
    const key: Record<UserSortField, (u: { userNameKey: string; email: string | null; createdAt: Date }) => string | number> = {
      userName: (u) => u.userNameKey,
      email: (u) => u.email ?? "",
      createdAt: (u) => u.createdAt.getTime(),
      displayName: () => 0,
      active: () => 0,
    };
    for (const field of ["userName", "email", "createdAt"] as const) {
      const { items } = await listUsers({ tenantId: tenant.id, sort: { field, direction: "desc" }, limit: 100 });
      const values = items.map(key[field]);
      expect(values).toEqual([...values].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
    }
    const byStatus = await listUsers({ tenantId: tenant.id, sort: { field: "active", direction: "asc" }, limit: 100 });
    expect(byStatus.items.map((u) => u.active)).toEqual([false, false, ...Array(8).fill(true)]);
  });

  it("searches by substring and prefix of userName, name and email, in any case", async () => {
    const tenant = await newTenant();
    await newUser(tenant.id, {
      userName: "jdoe",
      givenName: "John",
      familyName: "Doe",
      emails: [{ value: "John.Doe@Acme.test", primary: true }],
    });
    await newUser(tenant.id, { userName: "mrossi", displayName: "Maria Rossi", emails: [{ value: "maria@acme.test" }] });
    await newUser(tenant.id, { userName: "100%_real\\user", displayName: "Percent" });
    const search = async (q: string) => (await listUsers({ tenantId: tenant.id, search: q })).items.map((u) => u.userName).sort();
    expect(await search("JD")).toEqual(["jdoe"]);
    expect(await search("doe@acme")).toEqual(["jdoe"]);
    expect(await search("ROSS")).toEqual(["mrossi"]);
    expect(await search("acme.test")).toEqual(["jdoe", "mrossi"]);
    expect(await search("maria r")).toEqual(["mrossi"]);
    // LIKE wildcards and the escape character are matched literally.
    expect(await search("%")).toEqual(["100%_real\\user"]);
    expect(await search("_")).toEqual(["100%_real\\user"]);
    expect(await search("\\")).toEqual(["100%_real\\user"]);
    expect(await search("0%_r")).toEqual(["100%_real\\user"]);
    expect(await search("nobody")).toEqual([]);
    expect((await listUsers({ tenantId: tenant.id, search: "   " })).total).toBe(3);
  });

  it("pages a one- or two-character search in userName order, both ways, with exact totals", async () => {
    const tenant = await seed(24);
    const all = await listUsers({ tenantId: tenant.id, limit: 100 });
    for (const search of ["K", "e", "ee", "y.", "q"]) {
      const expected = all.items.filter((u) => u.searchText.includes(search.toLowerCase())).map((u) => u.id);
      for (const direction of ["asc", "desc"] as const) {
        const order = direction === "asc" ? expected : [...expected].reverse();
        const seen: string[] = [];
        for (let offset = 0; offset < 30; offset += 5) {
          const page = await listUsers({ tenantId: tenant.id, search, sort: { field: "userName", direction }, offset, limit: 5 });
          expect(page, `${search} ${direction}`).toMatchObject({ total: expected.length, totalCapped: false });
          seen.push(...page.items.map((u) => u.id));
        }
        expect(seen, `${search} ${direction}`).toEqual(order);
      }
    }
    // Other sorts and filters read the same matches.
    const byEmail = await listUsers({ tenantId: tenant.id, search: "e", sort: { field: "email", direction: "asc" }, limit: 100 });
    expect(new Set(byEmail.items.map((u) => u.id))).toEqual(new Set(all.items.filter((u) => u.searchText.includes("e")).map((u) => u.id)));
    expect((await listUsers({ tenantId: tenant.id, search: "k", active: false })).total).toBe(
      all.items.filter((u) => u.searchText.includes("k") && !u.active).length,
    );
  });

  it("caps the total of a one-character search at SEARCH_COUNT_CAP", async () => {
    const tenant = await newTenant();
    await db().$executeRaw`
      INSERT INTO "DirectoryUser" (id, "tenantId", "userName", "userNameKey", "searchText", source, "updatedAt")
      SELECT gen_random_uuid(), ${tenant.id}::uuid, 'u' || i, 'u' || i, 'u' || i, 'SCIM', now() FROM generate_series(1, ${SEARCH_COUNT_CAP + 5}) AS i`;
    await expect(listUsers({ tenantId: tenant.id, search: "u", limit: 2 })).resolves.toMatchObject({
      total: SEARCH_COUNT_CAP,
      totalCapped: true,
      items: [{ userName: "u1" }, { userName: "u10" }],
    });
    await expect(listUsers({ tenantId: tenant.id, search: "9", limit: 1 })).resolves.toMatchObject({
      total: 3439,
      totalCapped: false,
      items: [{ userName: "u1009" }],
    });
  });

  it("lists a group's members in order, page by page, searched and filtered", async () => {
    const tenant = await seed(20);
    const all = await listUsers({ tenantId: tenant.id, limit: 100 });
    const members = all.items.filter((_, i) => i % 3 !== 1);
    const group = await db().directoryGroup.create({
      data: { tenantId: tenant.id, displayName: "G", displayNameKey: "g", source: "CONSOLE" },
    });
    await db().groupMember.createMany({ data: members.map((u) => ({ groupId: group.id, userId: u.id })) });
    for (const direction of ["asc", "desc"] as const) {
      const seen: string[] = [];
      for (let offset = 0; offset < 20; offset += 4) {
        const page = await listUsers({ tenantId: tenant.id, groupId: group.id, sort: { field: "userName", direction }, offset, limit: 4 });
        expect(page.total).toBe(members.length);
        seen.push(...page.items.map((u) => u.id));
      }
      const ids = members.map((u) => u.id);
      expect(seen).toEqual(direction === "asc" ? ids : ids.reverse());
    }
    const searched = members.filter((u) => u.searchText.includes("person1") && u.active);
    const page = await listUsers({ tenantId: tenant.id, groupId: group.id, search: "Person1", active: true });
    expect(page).toMatchObject({ total: searched.length });
    expect(page.items.map((u) => u.id)).toEqual(searched.map((u) => u.id));
    expect(searched.length).toBeGreaterThan(1);
  });

  it("filters by status and by group", async () => {
    const tenant = await seed(10);
    expect((await listUsers({ tenantId: tenant.id, active: false })).total).toBe(2);
    expect((await listUsers({ tenantId: tenant.id, active: true })).total).toBe(8);
    const { items } = await listUsers({ tenantId: tenant.id, limit: 3 });
    const group = await db().directoryGroup.create({
      data: { tenantId: tenant.id, displayName: "G", displayNameKey: "g", source: "CONSOLE" },
    });
    await db().groupMember.createMany({ data: items.map((u) => ({ groupId: group.id, userId: u.id })) });
    const members = await listUsers({ tenantId: tenant.id, groupId: group.id });
    expect(members.total).toBe(3);
    expect(members.items.map((u) => u.id)).toEqual(items.map((u) => u.id));
    expect((await listUsers({ tenantId: tenant.id, groupId: "bogus" })).total).toBe(0);
  });
});
