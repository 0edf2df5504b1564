/**
 * Microsoft Entra ID's provisioning requests (learn.microsoft.com "Tutorial: Develop and plan
 * provisioning for a SCIM endpoint", "Known issues … SCIM 2.0 protocol compliance"), both PATCH
 * dialects (default, and aadOptscim062020), replayed over the real route handler.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as route from "@/app/api/scim/v2/[tenant]/[[...path]]/route";
import { newScimTenant, scimClient } from "../../testing/factories/scim-import";

const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
let scim: ReturnType<typeof scimClient>;

beforeAll(async () => {
  const tenant = await newScimTenant();
  // Entra may send no User-Agent at all.
  scim = scimClient(route, tenant);
});

const entraUser = (userName: string) => ({
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
  externalId: userName.split("@")[0],
  userName,
  active: true,
  displayName: "Test User",
  emails: [{ primary: true, type: "work", value: userName }],
  name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
  [ENTERPRISE]: { employeeNumber: "701984", department: "Tour Operations", manager: { value: "123" } },
});

const patch = (id: string, Operations: unknown[], type = "Users") => scim("PATCH", `/${type}/${id}`, { schemas: [PATCH], Operations });

describe("Entra Test Connection and lookups", () => {
  it("filters a random value with + for spaces and gets 200 with an empty list", async () => {
    const res = await scim("GET", "/Users?filter=userName+eq+%22c6e1b2f0-random%22");
    expect(res.status).toBe(200);
    expect(res.body.totalResults).toBe(0);
  });

  it("finds by userName, externalId, work email; groups by displayName without members; ignores unknown parameters", async () => {
    const created = await scim("POST", "/Users", entraUser("lookup@contoso.com"));
    expect(created.status).toBe(201);
    expect(created.body[ENTERPRISE]).toMatchObject({ employeeNumber: "701984", manager: { value: "123" } });
    for (const filter of [
      'userName eq "lookup@contoso.com"',
      'externalId eq "lookup"',
      'emails[type eq "work"].value eq "lookup@contoso.com"',
      'userName eq "lookup@contoso.com" and active eq true',
    ]) {
      const res = await scim("GET", `/Users?filter=${encodeURIComponent(filter)}&aadOptscim062020=1`);
      expect(res.status, filter).toBe(200);
      expect(res.body.totalResults, filter).toBe(1);
    }
    const group = await scim("POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group"],
      externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
      displayName: "Group1DisplayName",
      members: [{ value: created.body.id }],
    });
    expect(group.status).toBe(201);
    const found = await scim(
      "GET",
      `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Group1DisplayName"')}`,
    );
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0].members).toBeUndefined();
    expect(found.body.Resources[0].id).toBe(group.body.id);
  });
});

describe("Entra default PATCH dialect", () => {
  it("capitalised ops, string booleans, one op per path, filtered paths, URN paths, bare manager", async () => {
    const { id } = (await scim("POST", "/Users", entraUser("dialect1@contoso.com"))).body;
    const res = await patch(id, [
      { op: "Replace", path: "userName", value: "renamed1@contoso.com" },
      { op: "Replace", path: "active", value: "False" },
      { op: "Add", path: 'emails[type eq "work"].value', value: "renamed1@contoso.com" },
      { op: "Add", path: 'phoneNumbers[type eq "mobile"].value', value: "+1 555 0100" },
      { op: "Replace", path: `${ENTERPRISE}:employeeNumber`, value: "42" },
      { op: "Add", path: `${ENTERPRISE}:manager`, value: "bd5d8fc7-manager" },
      { op: "Replace", path: "name.givenName", value: "Given" },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ userName: "renamed1@contoso.com", active: false, name: { givenName: "Given" } });
    expect(res.body.emails).toEqual([{ primary: true, type: "work", value: "renamed1@contoso.com" }]);
    // A filtered add on a missing entry creates it with that type.
    expect(res.body.phoneNumbers).toEqual([{ type: "mobile", value: "+1 555 0100" }]);
    expect(res.body[ENTERPRISE]).toMatchObject({ employeeNumber: "42", manager: { value: "bd5d8fc7-manager" } });
    // Op names in any case are applied, never silently dropped.
    expect((await patch(id, [{ op: "REPLACE", path: "displayName", value: "Upper" }])).body.displayName).toBe("Upper");
    expect((await patch(id, [{ op: "Frobnicate", path: "displayName", value: "x" }])).status).toBe(400);
  });

  it("removes only the listed members with {op: Remove, path: members, value: [...]}", async () => {
    const a = (await scim("POST", "/Users", entraUser("m-a@contoso.com"))).body.id;
    const b = (await scim("POST", "/Users", entraUser("m-b@contoso.com"))).body.id;
    const g = (await scim("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Entra default" }))
      .body.id;
    expect((await patch(g, [{ op: "Add", path: "members", value: [{ value: a }, { value: b }] }], "Groups")).status).toBe(204);
    expect((await patch(g, [{ op: "Remove", path: "members", value: [{ value: a }] }], "Groups")).status).toBe(204);
    const members = (await scim("GET", `/Groups/${g}`)).body.members.map((m: { value: string }) => m.value);
    expect(members).toEqual([b]);
  });
});

describe("Entra aadOptscim062020 dialect", () => {
  it("one replace without path with dotted and URN keys, real booleans; removal by members[value eq]", async () => {
    const { id } = (await scim("POST", "/Users", entraUser("dialect2@contoso.com"))).body;
    const res = await patch(id, [
      {
        op: "replace",
        value: {
          "name.givenName": "Dotted",
          "name.familyName": "Keys",
          active: false,
          userName: "dialect2b@contoso.com",
          [`${ENTERPRISE}:manager`]: "mgr-1",
          [`${ENTERPRISE}:department`]: "R&D",
        },
      },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.name).toMatchObject({ givenName: "Dotted", familyName: "Keys" });
    expect(res.body["name.givenName"]).toBeUndefined();
    expect(res.body).toMatchObject({ active: false, userName: "dialect2b@contoso.com" });
    expect(res.body[ENTERPRISE]).toMatchObject({ manager: { value: "mgr-1" }, department: "R&D" });

    const g = (
      await scim("POST", "/Groups", {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        displayName: "Entra flag",
        members: [{ value: id }],
      })
    ).body.id;
    expect((await patch(g, [{ op: "remove", path: `members[value eq "${id}"]` }], "Groups")).status).toBe(204);
    expect((await scim("GET", `/Groups/${g}`)).body.members).toBeUndefined();
  });

  it("treats an empty Operations array as a no-op and answers the group PATCH with 200 when attributes are asked for", async () => {
    const { id } = (await scim("POST", "/Users", entraUser("noop@contoso.com"))).body;
    const res = await patch(id, []);
    expect(res.status).toBe(200);
    expect(res.body.meta.version).toBe('W/"1"');
    const g = (await scim("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "With attrs" })).body
      .id;
    const withAttrs = await scim("PATCH", `/Groups/${g}?attributes=displayName`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", path: "displayName", value: "Renamed" }],
    });
    expect(withAttrs.status).toBe(200);
    expect(withAttrs.body.displayName).toBe("Renamed");
  });

  it("hard DELETE frees the userName for a new user", async () => {
    const { id } = (await scim("POST", "/Users", entraUser("again@contoso.com"))).body;
    expect((await scim("DELETE", `/Users/${id}`)).status).toBe(204);
    expect((await scim("GET", `/Users/${id}`)).status).toBe(404);
    const again = await scim("POST", "/Users", entraUser("again@contoso.com"));
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(id);
  });
});
