import { describe, expect, it } from "vitest";
import { applyPatch, applyPatchOperations, parsePatchRequest } from "./apply-patch";
import type { JsonObject } from "./json-object";
import { GROUP_RESOURCE, USER_RESOURCE } from "./schemas";

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

function user(): JsonObject {
  return {
    schemas: [CORE],
    id: "u-1",
    userName: "bjensen@example.com",
    active: true,
    name: { givenName: "Barbara", familyName: "Jensen" },
    emails: [{ value: "babs@home.org", type: "home", primary: true }],
    phoneNumbers: [{ value: "555-1", type: "work" }],
    groups: [{ value: "g-1", display: "Data" }],
    meta: { resourceType: "User", version: 'W/"1"' },
  };
}

const apply = (...ops: unknown[]) => applyPatch(user(), patch(...ops), USER_RESOURCE);

describe("applyPatch: Entra default dialect", () => {
  it.each([
    ["capitalised ops: Replace", { op: "Replace", path: "displayName", value: "Babs" }, (u: JsonObject) => u.displayName, "Babs"],
    ["capitalised ops: Add", { op: "Add", path: "title", value: "CEO" }, (u: JsonObject) => u.title, "CEO"],
    ["capitalised ops: Remove", { op: "Remove", path: "name.familyName" }, (u: JsonObject) => u.name, { givenName: "Barbara" }],
    ["ops in any case: REPLACE", { op: "REPLACE", path: "active", value: false }, (u: JsonObject) => u.active, false],
    ['boolean as "False"', { op: "Replace", path: "active", value: "False" }, (u: JsonObject) => u.active, false],
    ['boolean as "True"', { op: "Replace", path: "active", value: "True" }, (u: JsonObject) => u.active, true],
    ['boolean as "false"', { op: "Replace", path: "active", value: "false" }, (u: JsonObject) => u.active, false],
    ["path names in any case", { op: "Replace", path: "DisplayName", value: "B" }, (u: JsonObject) => u.displayName, "B"],
    [
      "filtered path on an existing entry",
      { op: "Replace", path: 'phoneNumbers[type eq "work"].value', value: "555-2" },
      (u: JsonObject) => u.phoneNumbers,
      [{ value: "555-2", type: "work" }],
    ],
    [
      "filtered Add creates the missing work email with its type",
      { op: "Add", path: 'emails[type eq "work"].value', value: "bj@work.com" },
      (u: JsonObject) => u.emails,
      [
        { value: "babs@home.org", type: "home", primary: true },
        { type: "work", value: "bj@work.com" },
      ],
    ],
    [
      "filtered Replace creates the missing mobile phone with its type",
      { op: "Replace", path: 'phoneNumbers[type eq "mobile"].value', value: "555-9" },
      (u: JsonObject) => u.phoneNumbers,
      [
        { value: "555-1", type: "work" },
        { type: "mobile", value: "555-9" },
      ],
    ],
    [
      "filtered Add of a boolean sub-attribute as a string",
      { op: "Add", path: 'emails[type eq "home"].primary', value: "False" },
      (u: JsonObject) => u.emails,
      [{ value: "babs@home.org", type: "home", primary: false }],
    ],
    [
      "filtered Add of an address line",
      { op: "Add", path: 'addresses[type eq "work"].streetAddress', value: "1 Main St" },
      (u: JsonObject) => u.addresses,
      [{ type: "work", streetAddress: "1 Main St" }],
    ],
    [
      "enterprise attribute by URN path",
      { op: "Add", path: `${ENTERPRISE}:employeeNumber`, value: "701984" },
      (u: JsonObject) => u[ENTERPRISE],
      { employeeNumber: "701984" },
    ],
    [
      "manager as a bare string becomes {value}",
      { op: "Add", path: `${ENTERPRISE}:manager`, value: "boss-1" },
      (u: JsonObject) => u[ENTERPRISE],
      { manager: { value: "boss-1" } },
    ],
    [
      "manager as {value}",
      { op: "Replace", path: `${ENTERPRISE}:manager`, value: { value: "boss-2" } },
      (u: JsonObject) => u[ENTERPRISE],
      { manager: { value: "boss-2" } },
    ],
    [
      "an extension attribute adds the extension URN to schemas",
      { op: "Add", path: `${ENTERPRISE}:department`, value: "R&D" },
      (u: JsonObject) => u.schemas,
      [CORE, ENTERPRISE],
    ],
    [
      "number for a string attribute keeps the digits",
      { op: "Add", path: `${ENTERPRISE}:employeeNumber`, value: 42 },
      (u: JsonObject) => u[ENTERPRISE],
      { employeeNumber: "42" },
    ],
    ["externalId via Add", { op: "Add", path: "externalId", value: "ext-9" }, (u: JsonObject) => u.externalId, "ext-9"],
    [
      "userName may change",
      { op: "Replace", path: "userName", value: "barbara@example.com" },
      (u: JsonObject) => u.userName,
      "barbara@example.com",
    ],
  ])("%s", (_name, operation, pick, expected) => {
    expect(pick(apply(operation))).toEqual(expected);
  });

  it("userName and active change in one PATCH (INTEROP)", () => {
    const result = apply({ op: "Replace", path: "userName", value: "new@x.com" }, { op: "Replace", path: "active", value: "False" });
    expect(result).toMatchObject({ userName: "new@x.com", active: false });
  });

  it("removing the manager drops the empty extension and its URN", () => {
    const withManager = applyPatch(user(), patch({ op: "Add", path: `${ENTERPRISE}:manager`, value: "boss" }), USER_RESOURCE);
    const result = applyPatch(withManager, patch({ op: "Remove", path: `${ENTERPRISE}:manager` }), USER_RESOURCE);
    expect(result[ENTERPRISE]).toBeUndefined();
    expect(result.schemas).toEqual([CORE]);
  });
});

describe("applyPatch: Entra aadOptscim062020 and Okta (replace without path)", () => {
  it("applies dotted and URN keys as nested attributes, never literally (INTEROP: dotted keys stored literally)", () => {
    const result = apply({
      op: "replace",
      value: {
        "name.givenName": "Babs",
        "name.familyName": "J",
        [`${ENTERPRISE}:employeeNumber`]: "7",
        [`${ENTERPRISE}:manager`]: "boss-1",
        'emails[type eq "work"].value': "bj@work.com",
        active: false,
      },
    });
    expect(result).toMatchObject({
      name: { givenName: "Babs", familyName: "J" },
      active: false,
      [ENTERPRISE]: { employeeNumber: "7", manager: { value: "boss-1" } },
    });
    expect(result.emails).toContainEqual({ type: "work", value: "bj@work.com" });
    expect(Object.keys(result).filter((key) => key.includes(".") && !key.startsWith("urn:"))).toEqual([]);
    expect(result).not.toHaveProperty([`${ENTERPRISE}:employeeNumber`]);
  });

  it('Okta deactivate: {"op":"replace","value":{"active":false}}', () => {
    expect(apply({ op: "replace", value: { active: false } }).active).toBe(false);
  });

  it("an extension URN key holding an object (RFC 7644 §3.5.2 example)", () => {
    expect(apply({ op: "add", value: { [ENTERPRISE]: { department: "Ops", manager: { value: "m" } } } })[ENTERPRISE]).toEqual({
      department: "Ops",
      manager: { value: "m" },
    });
  });

  it("a core URN key holding an object", () => {
    expect(apply({ op: "replace", value: { [CORE]: { displayName: "X" } } }).displayName).toBe("X");
  });

  it("replace of a complex attribute keeps sub-attributes not given (RFC 7644 §3.5.2.3)", () => {
    expect(apply({ op: "replace", value: { name: { givenName: "B" } } }).name).toEqual({ givenName: "B", familyName: "Jensen" });
  });

  it("echoed id with the current value, meta and groups inside a value object are ignored", () => {
    const result = apply({ op: "replace", value: { id: "u-1", meta: { version: "x" }, groups: [], displayName: "D", schemas: [CORE] } });
    expect(result).toMatchObject({ id: "u-1", displayName: "D", meta: { version: 'W/"1"' }, groups: [{ value: "g-1", display: "Data" }] });
  });

  it("password is accepted and dropped (never stored)", () => {
    expect(apply({ op: "replace", value: { password: "secret" } })).not.toHaveProperty("password");
    expect(apply({ op: "replace", path: "password", value: "secret" })).not.toHaveProperty("password");
  });
});

describe("applyPatch: RFC 7644 §3.5.2 semantics", () => {
  it.each([
    [
      "add to a multi-valued attribute appends",
      { op: "add", path: "emails", value: [{ value: "w@x", type: "work" }] },
      "emails",
      [
        { value: "babs@home.org", type: "home", primary: true },
        { value: "w@x", type: "work" },
      ],
    ],
    [
      "add of a value already present changes nothing (§3.5.2.1)",
      { op: "add", path: "emails", value: [{ value: "BABS@home.org", type: "home" }] },
      "emails",
      [{ value: "BABS@home.org", type: "home", primary: true }],
    ],
    [
      "add of a single object to a multi-valued attribute",
      { op: "add", path: "emails", value: { value: "w@x" } },
      "emails",
      [{ value: "babs@home.org", type: "home", primary: true }, { value: "w@x" }],
    ],
    [
      "a new primary unsets the old one (RFC 7643 §2.4)",
      { op: "add", path: "emails", value: [{ value: "w@x", primary: true }] },
      "emails",
      [
        { value: "babs@home.org", type: "home", primary: false },
        { value: "w@x", primary: true },
      ],
    ],
    ["replace a multi-valued attribute", { op: "replace", path: "emails", value: [{ value: "only@x" }] }, "emails", [{ value: "only@x" }]],
    ["replace with an empty array unassigns", { op: "replace", path: "emails", value: [] }, "emails", undefined],
    ["replace with null unassigns (RFC 7643 §2.5)", { op: "replace", path: "title", value: null }, "title", undefined],
    ["remove a simple attribute", { op: "remove", path: "active" }, "active", undefined],
    ["remove a multi-valued attribute", { op: "remove", path: "emails" }, "emails", undefined],
    ["remove by filter", { op: "remove", path: 'emails[type eq "home"]' }, "emails", undefined],
    [
      "remove by filter that matches nothing is a no-op (idempotent retries)",
      { op: "remove", path: 'emails[type eq "work"]' },
      "emails",
      [{ value: "babs@home.org", type: "home", primary: true }],
    ],
    [
      "remove a sub-attribute of matching entries",
      { op: "remove", path: 'emails[type eq "home"].primary' },
      "emails",
      [{ value: "babs@home.org", type: "home" }],
    ],
    ["remove listed values only", { op: "remove", path: "emails", value: [{ value: "babs@home.org" }] }, "emails", undefined],
    [
      "replace a matching entry keeps the filter values",
      { op: "replace", path: 'emails[type eq "home"]', value: { value: "new@home.org" } },
      "emails",
      [{ type: "home", value: "new@home.org" }],
    ],
    [
      "add to a matching entry merges",
      { op: "add", path: 'emails[type eq "home"]', value: { display: "Home" } },
      "emails",
      [{ value: "babs@home.org", type: "home", primary: true, display: "Home" }],
    ],
    [
      "sub-attribute of every entry without a filter",
      { op: "replace", path: "emails.type", value: "other" },
      "emails",
      [{ value: "babs@home.org", type: "other", primary: true }],
    ],
    [
      "sub-attribute path on a missing multi-valued attribute creates one entry",
      { op: "add", path: "ims.value", value: "bj" },
      "ims",
      [{ value: "bj" }],
    ],
    [
      "sub-attribute of a missing complex attribute",
      { op: "add", path: "name.middleName", value: "M" },
      "name",
      { givenName: "Barbara", familyName: "Jensen", middleName: "M" },
    ],
    [
      "removing the last sub-attribute removes the complex attribute",
      { op: "remove", path: "name.givenName" },
      "name",
      { familyName: "Jensen" },
    ],
    [
      "sub-attribute names in any case get the schema spelling",
      { op: "add", path: "emails", value: [{ VALUE: "w@x", Type: "work" }] },
      "emails",
      [
        { value: "babs@home.org", type: "home", primary: true },
        { value: "w@x", type: "work" },
      ],
    ],
    [
      "add to a complex attribute merges",
      { op: "add", path: "name", value: { middleName: "M" } },
      "name",
      { givenName: "Barbara", familyName: "Jensen", middleName: "M" },
    ],
  ])("%s", (_name, operation, key, expected) => {
    expect(apply(operation)[key]).toEqual(expected);
  });

  it("an empty Operations array is a no-op (INTEROP)", () => {
    expect(applyPatch(user(), patch(), USER_RESOURCE)).toEqual(user());
  });

  it("never mutates its input", () => {
    const input = user();
    const frozen = JSON.stringify(input);
    apply({ op: "replace", path: 'emails[type eq "home"].value', value: "x@y" });
    applyPatch(input, patch({ op: "remove", path: "emails" }, { op: "add", path: "name.givenName", value: "Z" }), USER_RESOURCE);
    expect(JSON.stringify(input)).toBe(frozen);
  });

  it("is atomic: a failing operation leaves nothing applied", () => {
    const input = user();
    expect(() =>
      applyPatch(input, patch({ op: "replace", path: "displayName", value: "X" }, { op: "remove", path: "userName" }), USER_RESOURCE),
    ).toThrow();
    expect(input.displayName).toBeUndefined();
  });

  it("re-keys attributes stored with another case", () => {
    const result = applyPatch(
      { id: "u", UserName: "a", DISPLAYNAME: "b" },
      patch({ op: "replace", path: "displayName", value: "c" }),
      USER_RESOURCE,
    );
    expect(result).toEqual({ id: "u", UserName: "a", displayName: "c" });
  });
});

describe("applyPatch: errors tell the client what to change", () => {
  it.each([
    [
      "unknown op is 400, never silently dropped (INTEROP)",
      { op: "merge", path: "title", value: "x" },
      "invalidSyntax",
      /op "merge" is not supported/,
    ],
    ["missing op", { path: "title", value: "x" }, "invalidSyntax", /has no "op"/],
    ["remove without path (RFC 7644 §3.5.2.2)", { op: "remove" }, "noTarget", /remove needs a "path"/],
    ["add without value", { op: "add", path: "title" }, "invalidValue", /add needs a "value"/],
    ["no-path value that is not an object", { op: "replace", value: "x" }, "invalidValue", /needs an object of attributes/],
    ["path that is not a string", { op: "replace", path: 5, value: "x" }, "invalidPath", /must be a string/],
    ["changing id", { op: "replace", path: "id", value: "other" }, "mutability", /id is assigned by the server/],
    ["changing id inside a value object", { op: "replace", value: { id: "other" } }, "mutability", /id is assigned by the server/],
    ["removing id", { op: "remove", path: "id" }, "mutability", /id is assigned/],
    ["removing userName", { op: "remove", path: "userName" }, "mutability", /userName is required/],
    ["replacing userName with null", { op: "replace", path: "userName", value: null }, "mutability", /userName is required/],
    ['replacing userName with ""', { op: "replace", path: "userName", value: "" }, "invalidValue", /cannot be empty/],
    ["meta by explicit path", { op: "replace", path: "meta.version", value: "x" }, "mutability", /meta.version is read-only/],
    [
      "groups by explicit path points to /Groups",
      { op: "add", path: "groups", value: [{ value: "g" }] },
      "mutability",
      /PATCH \/Groups\/\{id\}/,
    ],
    ["unknown attribute", { op: "add", path: "shoeSize", value: 42 }, "invalidPath", /attribute "shoeSize" is not defined for User/],
    ["unknown sub-attribute", { op: "add", path: "name.nick", value: "x" }, "invalidPath", /name has no sub-attribute "nick"/],
    [
      "unknown schema",
      { op: "add", path: "urn:example:custom:1.0:User:badge", value: "x" },
      "invalidPath",
      /schema "urn:example:custom:1.0:User" is not supported/,
    ],
    [
      "extension of another resource",
      { op: "add", value: { "urn:ietf:params:scim:schemas:core:2.0:Group": { displayName: "x" } } },
      "invalidPath",
      /is not supported for User \(supported: [^)]*enterprise:2.0:User\)/,
    ],
    ["boolean that is not one", { op: "replace", path: "active", value: "yes" }, "invalidValue", /active must be true or false, not "yes"/],
    ["string where an object is needed", { op: "replace", path: "name", value: "Bob" }, "invalidValue", /name must be an object/],
    [
      "unknown key inside a complex value",
      { op: "add", path: "emails", value: [{ value: "x", kind: "work" }] },
      "invalidValue",
      /has no sub-attribute "kind"/,
    ],
    [
      "filter on a single-valued attribute",
      { op: "replace", path: 'name[givenName eq "x"].familyName', value: "y" },
      "invalidPath",
      /multi-valued/,
    ],
    [
      "filtered replace that can create nothing",
      { op: "replace", path: 'emails[value co "@work"].type', value: "work" },
      "noTarget",
      /cannot be created from it/,
    ],
    ["bad filter in path", { op: "replace", path: "emails[type eq].value", value: "x" }, "invalidFilter", /expected a value/],
  ])("%s", (_name, operation, scimType, message) => {
    expect(() => apply(operation)).toThrow(expect.objectContaining({ status: 400, scimType, message: expect.stringMatching(message) }));
  });

  it("prefixes errors with the operation index", () => {
    expect(() => apply({ op: "add", path: "title", value: "x" }, { op: "remove", path: "userName" })).toThrow(/^Operations\[1\]: /);
  });

  it.each([
    ["not an object", "x", "invalidSyntax", /must be a JSON object/],
    ["missing schemas", { Operations: [] }, "invalidSyntax", /schemas/],
    ["wrong schemas", { schemas: [CORE], Operations: [] }, "invalidSyntax", /PatchOp/],
    ["missing Operations", { schemas: [PATCH_OP] }, "invalidSyntax", /"Operations" array/],
    ["Operations not an array", { schemas: [PATCH_OP], Operations: {} }, "invalidSyntax", /"Operations" array/],
    ["operation not an object", { schemas: [PATCH_OP], Operations: ["x"] }, "invalidSyntax", /Operations\[0\] must be an object/],
    [
      "too deep",
      { schemas: [PATCH_OP], Operations: [{ op: "add", path: "title", value: [[[[[[[[[["x"]]]]]]]]]] }] },
      "invalidValue",
      /nested deeper/,
    ],
  ])("envelope: %s", (_name, body, scimType, message) => {
    expect(() => parsePatchRequest(body)).toThrow(
      expect.objectContaining({ status: 400, scimType, message: expect.stringMatching(message) }),
    );
  });

  it('accepts "operations" and "Op" keys in any case', () => {
    expect(parsePatchRequest({ SCHEMAS: [PATCH_OP.toLowerCase()], operations: [{ OP: "Add", Path: "title", Value: "x" }] })).toMatchObject([
      { op: "add", value: "x" },
    ]);
  });
});

describe("applyPatchOperations on a Group document", () => {
  const group = {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    id: "g-1",
    displayName: "Data",
    members: [{ value: "u1" }, { value: "u2" }],
  };
  it.each([
    [
      "Okta rename: replace {id, displayName}",
      { op: "replace", value: { id: "g-1", displayName: "Data 2" } },
      { displayName: "Data 2", members: [{ value: "u1" }, { value: "u2" }] },
    ],
    ["remove one member by filter", { op: "remove", path: 'members[value eq "u1"]' }, { members: [{ value: "u2" }] }],
    [
      "Entra remove with a value list removes only those",
      { op: "Remove", path: "members", value: [{ value: "u2" }] },
      { members: [{ value: "u1" }] },
    ],
    [
      "add members skips ones already present",
      { op: "Add", path: "members", value: [{ value: "u2" }, { value: "u3" }] },
      { members: [{ value: "u1" }, { value: "u2" }, { value: "u3" }] },
    ],
    ["replace members with an empty array empties the group", { op: "replace", path: "members", value: [] }, { members: undefined }],
  ])("%s", (_name, operation, expected) => {
    const result = applyPatchOperations(group, parsePatchRequest(patch(operation)), GROUP_RESOURCE);
    for (const [key, value] of Object.entries(expected)) expect(result[key]).toEqual(value);
  });

  it("removing displayName is a mutability error", () => {
    expect(() => applyPatch(group, patch({ op: "remove", path: "displayName" }), GROUP_RESOURCE)).toThrow(
      expect.objectContaining({ scimType: "mutability" }),
    );
  });
});

describe("applyPatch: unassigned values (RFC 7643 §2.5)", () => {
  it.each([
    [
      "add null to a multi-valued attribute changes nothing",
      { op: "add", path: "emails", value: null },
      "emails",
      [{ value: "babs@home.org", type: "home", primary: true }],
    ],
    [
      "add [] changes nothing",
      { op: "add", path: "emails", value: [] },
      "emails",
      [{ value: "babs@home.org", type: "home", primary: true }],
    ],
    ["add null to a simple attribute changes nothing", { op: "add", path: "active", value: null }, "active", true],
    ["replace null on a complex attribute unassigns it", { op: "replace", path: "name", value: null }, "name", undefined],
    ["null inside a value object unassigns on replace", { op: "replace", value: { active: null } }, "active", undefined],
  ])("%s", (_name, operation, key, expected) => {
    expect(apply(operation)[key]).toEqual(expected);
  });
});
