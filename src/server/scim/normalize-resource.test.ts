import { describe, expect, it } from "vitest";
import { VALIDATED_GROUP_KEYS, VALIDATED_USER_KEYS, normalizeGroup, normalizeUser } from "./normalize-resource";
import { COMMON_ATTRIBUTES, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from "./schemas";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

describe("normalizeUser", () => {
  it("accepts Okta's create body: drops password, ignores groups: [] (developer.okta.com SCIM reference)", () => {
    const user = normalizeUser({
      schemas: [CORE],
      userName: "Bob@Example.com",
      name: { givenName: "Bob", familyName: "Smith" },
      emails: [{ primary: true, value: "bob@example.com", type: "work" }],
      displayName: "Bob Smith",
      locale: "en-US",
      externalId: "00u1",
      groups: [],
      password: "1mz050nq",
      active: true,
    });
    expect(user).toEqual({
      schemas: [CORE],
      userName: "Bob@Example.com",
      name: { givenName: "Bob", familyName: "Smith" },
      emails: [{ primary: true, value: "bob@example.com", type: "work" }],
      displayName: "Bob Smith",
      locale: "en-US",
      externalId: "00u1",
      active: true,
    });
  });

  it("accepts Entra's create body with the enterprise extension and string booleans", () => {
    const user = normalizeUser({
      schemas: [CORE, ENTERPRISE],
      externalId: "0a21f0f2",
      userName: "Test_User@contoso.com",
      active: "True",
      emails: [{ primary: "true", type: "work", value: "Test_User@contoso.com" }],
      meta: { resourceType: "User" },
      name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
      roles: [],
      [ENTERPRISE]: { employeeNumber: "701984", department: "Tour Operations", manager: "mgr-1" },
    });
    expect(user).toMatchObject({
      schemas: [CORE, ENTERPRISE],
      active: true,
      emails: [{ primary: true, type: "work", value: "Test_User@contoso.com" }],
      [ENTERPRISE]: { employeeNumber: "701984", department: "Tour Operations", manager: { value: "mgr-1" } },
    });
    expect(user).not.toHaveProperty("meta");
    expect(user).not.toHaveProperty("roles");
  });

  it("ignores read-only attributes echoed by Okta on PUT (id, meta, groups)", () => {
    const user = normalizeUser({
      schemas: [CORE],
      id: "whatever",
      userName: "a",
      meta: { version: 'W/"1"' },
      groups: [{ value: "g", display: "G" }],
    });
    expect(user).toEqual({ schemas: [CORE], userName: "a" });
  });

  it("keeps userName exactly as sent (matched case-insensitively elsewhere)", () => {
    expect(normalizeUser({ schemas: [CORE], userName: "MiXeD@Case.COM" }).userName).toBe("MiXeD@Case.COM");
  });

  it("nests dotted and URN-prefixed keys and canonicalises names", () => {
    expect(
      normalizeUser({ schemas: [CORE], USERNAME: "a", "name.givenName": "G", [`${ENTERPRISE}:costCenter`]: "cc", Active: "false" }),
    ).toEqual({
      schemas: [CORE, ENTERPRISE],
      userName: "a",
      name: { givenName: "G" },
      active: false,
      [ENTERPRISE]: { costCenter: "cc" },
    });
  });

  it("drops nulls (RFC 7643 §2.5) and accepts a missing schemas list", () => {
    expect(normalizeUser({ userName: "a", title: null, emails: null })).toEqual({ schemas: [CORE], userName: "a" });
  });

  it.each([
    ["not an object", [], "invalidSyntax", /must be a JSON object/],
    ["missing userName", { schemas: [CORE] }, "invalidValue", /userName is required/],
    ["empty userName", { schemas: [CORE], userName: "" }, "invalidValue", /cannot be empty|must not be empty/],
    ["blank userName", { schemas: [CORE], userName: "   " }, "invalidValue", /must not be empty/],
    ["userName not a string", { schemas: [CORE], userName: { a: 1 } }, "invalidValue", /userName must be a string/],
    [
      "unknown schema URI on a User (RFC 7643 §3)",
      { schemas: [CORE, "urn:example:custom:1.0:User"], userName: "a" },
      "invalidValue",
      /does not support schema urn:example:custom:1.0:User/,
    ],
    [
      "schemas without the core URN",
      { schemas: [ENTERPRISE], userName: "a" },
      "invalidValue",
      /must include urn:ietf:params:scim:schemas:core:2.0:User/,
    ],
    ["schemas not an array", { schemas: CORE, userName: "a" }, "invalidSyntax", /array of schema URIs/],
    ["unknown attribute", { schemas: [CORE], userName: "a", shoeSize: 42 }, "invalidValue", /attribute "shoeSize" is not defined for User/],
    [
      "unknown extension data",
      { schemas: [CORE], userName: "a", "urn:example:custom:1.0:User": { x: 1 } },
      "invalidValue",
      /not supported/,
    ],
    ["wrong type", { schemas: [CORE], userName: "a", active: "maybe" }, "invalidValue", /active must be true or false/],
    ["emails not objects", { schemas: [CORE], userName: "a", emails: [["x"]] }, "invalidValue", /emails\[0\] must be a single object/],
    [
      "deeply nested value",
      { schemas: [CORE], userName: "a", name: { givenName: [[[[[[[[["x"]]]]]]]]] } },
      "invalidValue",
      /nested deeper than 8/,
    ],
    ["huge string", { schemas: [CORE], userName: "a".repeat(70_000) }, "invalidValue", /longer than 65536/],
  ])("rejects %s with 400 %s", (_name, body, scimType, message) => {
    expect(() => normalizeUser(body)).toThrow(expect.objectContaining({ status: 400, scimType, message: expect.stringMatching(message) }));
  });
});

describe("normalizeGroup", () => {
  it("accepts Entra's extra schema URI and keeps members as ids (INTEROP: members in POST ignored)", () => {
    const group = normalizeGroup({
      schemas: [GROUP, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group"],
      externalId: "8aa1a0c0",
      displayName: "Group1DisplayName",
      members: [{ value: "u1" }, { value: "u2", display: "x" }],
      meta: { resourceType: "Group" },
    });
    expect(group).toEqual({ schemas: [GROUP], externalId: "8aa1a0c0", displayName: "Group1DisplayName", memberIds: ["u1", "u2"] });
  });

  it("Okta create with members: []", () => {
    expect(normalizeGroup({ schemas: [GROUP], displayName: "Data", members: [] })).toEqual({
      schemas: [GROUP],
      displayName: "Data",
      memberIds: [],
    });
  });

  it("ignores attributes under unknown extension URNs", () => {
    expect(normalizeGroup({ schemas: [GROUP], displayName: "D", "urn:example:x:1.0:Group": { a: 1 } })).toEqual({
      schemas: [GROUP],
      displayName: "D",
      memberIds: [],
    });
  });

  it("ignores an echoed id", () => {
    expect(normalizeGroup({ schemas: [GROUP], id: "g", displayName: "D" })).toEqual({ schemas: [GROUP], displayName: "D", memberIds: [] });
  });

  it.each([
    ["missing displayName", { schemas: [GROUP] }, /displayName is required/],
    ["empty displayName", { schemas: [GROUP], displayName: "" }, /cannot be empty|must not be empty/],
    ["member without value", { schemas: [GROUP], displayName: "D", members: [{ display: "x" }] }, /needs a "value"/],
    ["unknown attribute", { schemas: [GROUP], displayName: "D", owner: "x" }, /attribute "owner" is not defined for Group/],
  ])("rejects %s with 400 invalidValue", (_name, body, message) => {
    expect(() => normalizeGroup(body)).toThrow(
      expect.objectContaining({ status: 400, scimType: "invalidValue", message: expect.stringMatching(message) }),
    );
  });
});

describe("validated shapes stay in step with schemas.ts", () => {
  const writable = (attributes: typeof USER_SCHEMA.attributes) =>
    attributes.filter((a) => a.mutability !== "readOnly" && a.mutability !== "writeOnly").map((a) => a.name);
  it("User: every writable attribute is validated", () => {
    const expected = [
      "schemas",
      ...COMMON_ATTRIBUTES.filter((a) => a.mutability !== "readOnly").map((a) => a.name),
      ...writable(USER_SCHEMA.attributes),
      ENTERPRISE_USER_SCHEMA.id,
    ];
    expect([...VALIDATED_USER_KEYS].sort()).toEqual(expected.sort());
  });
  it("Group: every writable attribute but members (returned as memberIds) is validated", () => {
    const expected = ["schemas", "externalId", ...writable(GROUP_SCHEMA.attributes).filter((name) => name !== "members")];
    expect([...VALIDATED_GROUP_KEYS].sort()).toEqual(expected.sort());
  });
});
