import { describe, expect, it } from "vitest";
import { formatFilter } from "./parse-filter";
import { parsePatchPath } from "./parse-path";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

describe("parsePatchPath (RFC 7644 §3.5.2: PATH = attrPath / valuePath [subAttr])", () => {
  it.each([
    ["userName", undefined, "userName", undefined, undefined],
    ["name.givenName", undefined, "name", "givenName", undefined],
    ["NAME.GIVENNAME", undefined, "NAME", "GIVENNAME", undefined],
    ["members", undefined, "members", undefined, undefined],
    ['members[value eq "2819c223"]', undefined, "members", undefined, 'value eq "2819c223"'],
    ['emails[type eq "work"].value', undefined, "emails", "value", 'type eq "work"'],
    ['addresses[type eq "work"].streetAddress', undefined, "addresses", "streetAddress", 'type eq "work"'],
    ['emails[type eq "work" and primary eq true]', undefined, "emails", undefined, 'type eq "work" and primary eq true'],
    // "]" inside a quoted value does not end the filter
    ['members[value eq "a]b"]', undefined, "members", undefined, 'value eq "a]b"'],
    // Entra: URNs contain dots (2.0); match known prefixes, never split on dots
    [`${ENTERPRISE}:employeeNumber`, ENTERPRISE, "employeeNumber", undefined, undefined],
    [`${ENTERPRISE}:manager`, ENTERPRISE, "manager", undefined, undefined],
    [`${ENTERPRISE}:manager.value`, ENTERPRISE, "manager", "value", undefined],
    ["urn:ietf:params:scim:schemas:core:2.0:User:userName", "urn:ietf:params:scim:schemas:core:2.0:User", "userName", undefined, undefined],
    [
      "urn:ietf:params:scim:schemas:core:2.0:User:name.familyName",
      "urn:ietf:params:scim:schemas:core:2.0:User",
      "name",
      "familyName",
      undefined,
    ],
    [
      'urn:ietf:params:scim:schemas:core:2.0:Group:members[value eq "x"]',
      "urn:ietf:params:scim:schemas:core:2.0:Group",
      "members",
      undefined,
      'value eq "x"',
    ],
    [`${ENTERPRISE.toLowerCase()}:department`, ENTERPRISE, "department", undefined, undefined],
    ["  title  ", undefined, "title", undefined, undefined],
  ])("%s", (text, schema, attribute, subAttribute, filter) => {
    const path = parsePatchPath(text);
    expect({ schema: path.schema, attribute: path.attribute, subAttribute: path.subAttribute }).toEqual({
      schema,
      attribute,
      subAttribute,
    });
    expect(path.filter ? formatFilter(path.filter) : undefined).toBe(filter);
  });

  it.each([
    ["", "invalidPath"],
    ["name.", "invalidPath"],
    ["name.givenName.x", "invalidPath"],
    ['emails[type eq "work"', "invalidPath"],
    ['emails[type eq "work"]value', "invalidPath"],
    ['emails[type eq "work"].', "invalidPath"],
    ["emails[type eq]", "invalidFilter"],
    ['emails[type eq "work"].value.x', "invalidPath"],
    [`${ENTERPRISE}:`, "invalidPath"],
    ["1name", "invalidPath"],
  ])("rejects %j with 400 %s", (text, scimType) => {
    expect(() => parsePatchPath(text)).toThrow(expect.objectContaining({ status: 400, scimType }));
  });
});
