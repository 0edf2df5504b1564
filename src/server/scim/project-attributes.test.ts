import { describe, expect, it } from "vitest";
import { projectAttributes } from "./project-attributes";
import { GROUP_RESOURCE, USER_RESOURCE } from "./schemas";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

const user = {
  schemas: [CORE, ENTERPRISE],
  id: "u1",
  externalId: "e1",
  userName: "bob",
  name: { givenName: "Bob", familyName: "Smith" },
  emails: [
    { value: "a@x", type: "work" },
    { value: "b@x", type: "home" },
  ],
  active: true,
  password: "should-never-leak",
  meta: { resourceType: "User", version: 'W/"1"' },
  [ENTERPRISE]: { employeeNumber: "7", department: "R&D" },
};

describe("projectAttributes (RFC 7644 §3.4.2.5, §3.9)", () => {
  it.each([
    ["nothing asked: everything but returned:never (password)", {}, { ...withoutPassword() }],
    ["attributes=userName keeps id and schemas", { attributes: ["userName"] }, { schemas: user.schemas, id: "u1", userName: "bob" }],
    ["attribute names in any case", { attributes: ["USERNAME"] }, { schemas: user.schemas, id: "u1", userName: "bob" }],
    [
      "sub-attribute of a complex attribute",
      { attributes: ["name.givenName"] },
      { schemas: user.schemas, id: "u1", name: { givenName: "Bob" } },
    ],
    [
      "sub-attribute of a multi-valued attribute",
      { attributes: ["emails.value"] },
      { schemas: user.schemas, id: "u1", emails: [{ value: "a@x" }, { value: "b@x" }] },
    ],
    [
      "two sub-attributes merge",
      { attributes: ["name.givenName", "name.familyName"] },
      { schemas: user.schemas, id: "u1", name: { givenName: "Bob", familyName: "Smith" } },
    ],
    [
      "URN-prefixed extension attribute",
      { attributes: [`${ENTERPRISE}:employeeNumber`] },
      { schemas: user.schemas, id: "u1", [ENTERPRISE]: { employeeNumber: "7" } },
    ],
    [
      "a bare extension URN selects the extension",
      { attributes: [ENTERPRISE] },
      { schemas: user.schemas, id: "u1", [ENTERPRISE]: { employeeNumber: "7", department: "R&D" } },
    ],
    ["URN-prefixed core attribute", { attributes: [`${CORE}:userName`] }, { schemas: user.schemas, id: "u1", userName: "bob" }],
    [
      "password asked explicitly is still never returned",
      { attributes: ["password", "userName"] },
      { schemas: user.schemas, id: "u1", userName: "bob" },
    ],
    ["unknown attributes select nothing", { attributes: ["shoeSize"] }, { schemas: user.schemas, id: "u1" }],
    [
      "excludedAttributes removes",
      { excludedAttributes: ["emails", "meta", ENTERPRISE] },
      { schemas: user.schemas, id: "u1", externalId: "e1", userName: "bob", name: user.name, active: true },
    ],
    [
      "excluding id has no effect (returned: always)",
      { excludedAttributes: ["id", "userName", "name", "emails", "active", "meta", "externalId", ENTERPRISE] },
      { schemas: user.schemas, id: "u1" },
    ],
    [
      "excluding a sub-attribute",
      { excludedAttributes: ["name.familyName", "emails.type", "meta", ENTERPRISE, "externalId", "active", "userName"] },
      { schemas: user.schemas, id: "u1", name: { givenName: "Bob" }, emails: [{ value: "a@x" }, { value: "b@x" }] },
    ],
    [
      "excluding an extension attribute",
      { attributes: [ENTERPRISE], excludedAttributes: [`${ENTERPRISE}:department`] },
      { schemas: user.schemas, id: "u1", [ENTERPRISE]: { employeeNumber: "7" } },
    ],
  ])("%s", (_name, selection, expected) => {
    expect(projectAttributes(user, selection, USER_RESOURCE)).toEqual(expected);
  });

  it("Entra: excludedAttributes=members on groups", () => {
    const group = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], id: "g", displayName: "G", members: [{ value: "u1" }] };
    expect(projectAttributes(group, { excludedAttributes: ["members"] }, GROUP_RESOURCE)).toEqual({
      schemas: group.schemas,
      id: "g",
      displayName: "G",
    });
  });

  it("rejects a malformed name with 400 invalidValue", () => {
    expect(() => projectAttributes(user, { attributes: ["name..x"] }, USER_RESOURCE)).toThrow(
      expect.objectContaining({ scimType: "invalidValue" }),
    );
  });
});

function withoutPassword() {
  const { password: _password, ...rest } = user;
  return rest;
}
