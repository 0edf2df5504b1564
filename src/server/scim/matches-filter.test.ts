import { describe, expect, it } from "vitest";
import { compileFilter, matchesFilter } from "./matches-filter";
import { parseFilter } from "./parse-filter";
import { GROUP_RESOURCE, USER_RESOURCE } from "./schemas";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

const bjensen = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
  id: "2819c223-7f76-453a-919d-413861904646",
  externalId: "Ext-1",
  userName: "BJensen@Example.com",
  name: { givenName: "Barbara", familyName: "Jensen" },
  displayName: "Babs Jensen",
  title: "",
  active: false,
  emails: [
    { value: "bjensen@example.com", type: "work", primary: true },
    { value: "babs@jensen.org", type: "home" },
  ],
  phoneNumbers: [{ value: "555-555-8377", type: "work" }],
  meta: { created: "2024-01-10T10:00:00Z", lastModified: "2024-03-01T08:30:00Z", version: 'W/"3"', resourceType: "User" },
  [ENTERPRISE]: { employeeNumber: "701984", manager: { value: "boss-1" } },
};

describe("matchesFilter on a User", () => {
  it.each([
    // userName is caseExact false (RFC 7643 §4.1): Okta/Entra lookups match any case
    ['userName eq "bjensen@example.com"', true],
    ['USERNAME eq "BJENSEN@EXAMPLE.COM"', true],
    ['userName ne "bjensen@example.com"', false],
    ['userName sw "bjen"', true],
    ['userName ew "EXAMPLE.COM"', true],
    ['userName co "@exa"', true],
    ['userName co "%"', false],
    ['userName gt "a"', true],
    ['userName lt "a"', false],
    ['userName ge "bjensen@example.com"', true],
    ['userName le "bjensen@example.com"', true],
    // id and externalId are caseExact (RFC 7643 §3.1)
    ['externalId eq "Ext-1"', true],
    ['externalId eq "ext-1"', false],
    ['id eq "2819c223-7f76-453a-919d-413861904646"', true],
    ['id eq "2819C223-7F76-453A-919D-413861904646"', false],
    // booleans; an inactive user is still found (Okta never deletes)
    ["active eq false", true],
    ["active eq true", false],
    ["active ne true", true],
    ['active eq "False"', true],
    // presence: empty string is not a value (RFC 7644 §3.4.2.2 pr)
    ["title pr", false],
    ["displayName pr", true],
    ["nickName pr", false],
    ["name pr", true],
    ["emails pr", true],
    ["ims pr", false],
    // absent attributes: only ne / not match
    ['nickName eq "x"', false],
    ['nickName ne "x"', true],
    ['not (nickName eq "x")', true],
    ["nickName eq null", true],
    ["displayName eq null", false],
    ["displayName ne null", true],
    // sub-attributes
    ['name.givenName eq "barbara"', true],
    ['name.familyName co "ens"', true],
    ["name.middleName pr", false],
    ['name[givenName eq "Barbara"]', true],
    // multi-valued: any value matches (RFC 7644 §3.4.2.2)
    ['emails.value eq "babs@jensen.org"', true],
    ['emails co "jensen.org"', true],
    ['emails.type eq "other"', false],
    ['emails[type eq "work" and value co "@example.com"]', true],
    ['emails[type eq "home" and value co "@example.com"]', false],
    ['emails[type eq "work"].value eq "BJENSEN@example.com"', true],
    ['emails[type eq "home"].value eq "bjensen@example.com"', false],
    ['emails[primary eq true].value ew ".com"', true],
    ['emails[not (type eq "work")]', true],
    ['phoneNumbers[type eq "mobile"].value pr', false],
    ["emails.primary eq true", true],
    // timestamps
    ['meta.created gt "2024-01-01T00:00:00Z"', true],
    ['meta.created lt "2024-01-01T00:00:00Z"', false],
    ['meta.lastModified ge "2024-03-01T08:30:00Z"', true],
    ['meta.lastModified le "2024-03-01T09:30:00+01:00"', true],
    ['meta.created eq "2024-01-10T10:00:00.000Z"', true],
    ['meta.created gt "2024-01-10"', true],
    // extension with and without URN
    [`${ENTERPRISE}:employeeNumber eq "701984"`, true],
    [`${ENTERPRISE.toLowerCase()}:EMPLOYEENUMBER eq "701984"`, true],
    ['employeeNumber eq "701984"', true],
    [`${ENTERPRISE}:manager.value eq "boss-1"`, true],
    [`${ENTERPRISE}:manager.value eq "BOSS-1"`, false],
    [`${ENTERPRISE}:department pr`, false],
    // core URN prefix
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bjensen@example.com"', true],
    // logic
    ['active eq false and userName sw "b"', true],
    ['active eq true or userName sw "b"', true],
    ['active eq true or userName sw "x"', false],
    ["not (active eq true) and not (title pr)", true],
    ['userName eq "x" or emails[type eq "work"] and active eq false', true],
  ])("%s → %s", (filter, expected) => {
    expect(matchesFilter(bjensen, parseFilter(filter), USER_RESOURCE)).toBe(expected);
  });

  it("reads attributes stored with any key case", () => {
    expect(
      matchesFilter({ USERNAME: "x", Emails: [{ Value: "a@b" }] }, parseFilter('userName eq "x" and emails.value eq "a@b"'), USER_RESOURCE),
    ).toBe(true);
  });

  it("compiles once for many resources", () => {
    const active = compileFilter(parseFilter("active eq true"), USER_RESOURCE);
    expect([{ active: true }, { active: false }, {}].map(active)).toEqual([true, false, false]);
  });
});

describe("matchesFilter on a Group", () => {
  const group = { id: "g1", displayName: "Data Team", members: [{ value: "u1", type: "User" }, { value: "u2" }] };
  it.each([
    ['displayName eq "data team"', true],
    ['members[value eq "u2"]', true],
    ['members[value eq "U2"]', false],
    ['members.value eq "u3"', false],
    ["members pr", true],
  ])("%s → %s", (filter, expected) => {
    expect(matchesFilter(group, parseFilter(filter), GROUP_RESOURCE)).toBe(expected);
  });
});

describe("matchesFilter rejects what cannot be evaluated (400 invalidFilter, never an empty result)", () => {
  it.each([
    ["unknown attribute", 'foo eq "x"', /attribute "foo" is not defined for User/],
    ["unknown sub-attribute", 'name.nick eq "x"', /name has no sub-attribute "nick"/],
    ["unknown schema", 'urn:example:custom:1.0:User:badge eq "x"', /schema "urn:example:custom:1.0:User" is not supported/],
    ["group attribute on users", "members pr", /not defined for User/],
    ["ordering on boolean (RFC 7644 §3.4.2.2)", "active gt true", /operator "gt" is not supported on active/],
    ["substring on boolean", 'active co "t"', /not supported/],
    ["non-boolean value for boolean", 'active eq "yes"', /compare it with true or false/],
    ["number for a string attribute", "userName eq 42", /quote the value/],
    ["substring on dateTime", 'meta.created co "2024"', /not supported/],
    ["bad dateTime", 'meta.created gt "yesterday"', /xsd:dateTime/],
    ["null with ordering", "title gt null", /null can only be compared/],
    ["complex without sub-attribute", 'name eq "x"', /compare one of its sub-attributes/],
    ["value path on a simple attribute", 'userName[value eq "x"]', /applies to complex attributes/],
    ["unknown sub-attribute in value path", 'emails[kind eq "work"]', /emails has no sub-attribute "kind"/],
  ])("%s", (_name, filter, message) => {
    expect(() => matchesFilter(bjensen, parseFilter(filter), USER_RESOURCE)).toThrow(
      expect.objectContaining({ status: 400, scimType: "invalidFilter", message: expect.stringMatching(message) }),
    );
  });
});
