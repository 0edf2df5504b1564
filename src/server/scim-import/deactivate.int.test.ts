/**
 * Deactivate and reactivate, the PATCHes Okta and Entra send most after create, take a path of
 * their own (one statement, no read first: user-writes.ts setScimUserActive). These tests pin that
 * it answers, versions, records and races exactly like the general PATCH path.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as route from "@/app/api/scim/v2/[tenant]/[[...path]]/route";
import { db } from "../db";
import { newScimTenant, scimClient } from "../../testing/factories/scim-import";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let tenant: Awaited<ReturnType<typeof newScimTenant>>;
let scim: ReturnType<typeof scimClient>;
beforeAll(async () => {
  tenant = await newScimTenant();
  scim = scimClient(route, tenant);
});

const okta = (active: boolean) => ({ schemas: [PATCH], Operations: [{ op: "replace", value: { active } }] });
const entra = (active: "True" | "False") => ({ schemas: [PATCH], Operations: [{ op: "Replace", path: "active", value: active }] });

async function newUser(userName: string): Promise<string> {
  const created = await scim("POST", "/Users", { schemas: [USER], userName, name: { givenName: "Ada", familyName: "Lovelace" } });
  expect(created.status).toBe(201);
  return created.body.id;
}

const changesOf = (id: string) =>
  db().directoryChange.findMany({
    where: { tenantId: tenant.id, entityId: id },
    orderBy: { id: "asc" },
    select: { action: true, source: true },
  });
const lastEventOf = (id: string) =>
  db().provisioningEvent.findFirst({ where: { tenantId: tenant.id, resourceId: id }, orderBy: { id: "desc" } });

describe("PATCH active", () => {
  it("deactivates and reactivates: the user as written, its groups, a new version, one change and event each", async () => {
    const id = await newUser("toggle@example.com");
    const group = await scim("POST", "/Groups", { schemas: [GROUP], displayName: "Toggled", members: [{ value: id }] });

    const off = await scim("PATCH", `/Users/${id}`, okta(false));
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({
      id,
      userName: "toggle@example.com",
      active: false,
      name: { givenName: "Ada" },
      groups: [{ value: group.body.id, display: "Toggled" }],
      meta: { version: 'W/"2"' },
    });
    expect(off.headers.get("etag")).toBe('W/"2"');
    expect(await lastEventOf(id)).toMatchObject({
      operation: "user deactivated",
      resourceType: "User",
      resourceName: "toggle@example.com",
      status: 200,
    });

    const on = await scim("PATCH", `/Users/${id}`, entra("True"));
    expect(on.body).toMatchObject({ active: true, meta: { version: 'W/"3"' } });
    expect(await lastEventOf(id)).toMatchObject({ operation: "user reactivated" });
    expect((await scim("GET", `/Users/${id}`)).body).toMatchObject({
      active: true,
      meta: { version: 'W/"3"', lastModified: on.body.meta.lastModified },
    });
    expect(await changesOf(id)).toEqual([
      { action: "CREATED", source: "SCIM" },
      { action: "UPDATED", source: "SCIM" },
      { action: "UPDATED", source: "SCIM" },
    ]);
  });

  it("a PATCH to the value the user already has changes nothing: same version, no change row", async () => {
    const id = await newUser("already@example.com");
    const again = await scim("PATCH", `/Users/${id}`, entra("True"));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ active: true, meta: { version: 'W/"1"' } });
    expect(await lastEventOf(id)).toMatchObject({ operation: "user updated" });
    expect(await changesOf(id)).toEqual([{ action: "CREATED", source: "SCIM" }]);
  });

  it("honours attributes and excludedAttributes", async () => {
    const id = await newUser("projected@example.com");
    const res = await scim("PATCH", `/Users/${id}?attributes=active`, okta(false));
    expect(res.body).toEqual({ schemas: [USER], id, active: false });
    const without = await scim("PATCH", `/Users/${id}?excludedAttributes=groups,name`, okta(true));
    expect(without.body.groups).toBeUndefined();
    expect(without.body.name).toBeUndefined();
    expect(without.body.active).toBe(true);
  });

  it("an unknown user, an id that is not a UUID and another tenant's user are a 404 SCIM error", async () => {
    const other = await newScimTenant();
    const theirs = (await scimClient(route, other)("POST", "/Users", { schemas: [USER], userName: "theirs@example.com" })).body.id;
    for (const id of ["6f1c1c8e-0000-4000-8000-000000000000", "not-a-uuid", theirs]) {
      const res = await scim("PATCH", `/Users/${id}`, okta(false));
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "404" });
    }
    expect((await scimClient(route, other)("GET", `/Users/${theirs}`)).body.active).toBe(true);
  });

  it("with If-Match, a stale version is a 412 and a current one proceeds", async () => {
    const id = await newUser("guarded@example.com");
    expect((await scim("PATCH", `/Users/${id}`, okta(false), { "If-Match": 'W/"7"' })).status).toBe(412);
    const res = await scim("PATCH", `/Users/${id}`, okta(false), { "If-Match": 'W/"1"' });
    expect(res.status).toBe(200);
    expect(res.body.meta.version).toBe('W/"2"');
  });

  it("concurrent toggles and edits of one user all succeed, and every change bumps the version once", async () => {
    const id = await newUser("contended@example.com");
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 3 === 2
          ? scim("PATCH", `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: "replace", path: "title", value: `Title ${i}` }] })
          : scim("PATCH", `/Users/${id}`, okta(i % 3 === 0)),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    const current = await db().directoryUser.findUniqueOrThrow({ where: { id } });
    const updates = (await changesOf(id)).filter((change) => change.action === "UPDATED").length;
    expect(current.version).toBe(1 + updates);
  });
});
