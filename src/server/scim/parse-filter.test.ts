import { describe, expect, it } from "vitest";
import { ScimError } from "./errors";
import { formatFilter, parseFilter } from "./parse-filter";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";

function invalidFilter(input: string): ScimError {
  try {
    parseFilter(input);
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error(`expected ${input} to be rejected`);
}

describe("parseFilter: accepted filters (RFC 7644 §3.4.2.2) rendered canonically", () => {
  it.each([
    // Okta lookup before create
    ['userName eq "bjensen@example.com"', 'userName eq "bjensen@example.com"'],
    // operators are case-insensitive
    ['userName EQ "x"', 'userName eq "x"'],
    ['userName Eq "x"', 'userName eq "x"'],
    ["title pr", "title pr"],
    ["title PR", "title pr"],
    ['name.familyName co "O\'Malley"', 'name.familyName co "O\'Malley"'],
    ['userName sw "J"', 'userName sw "J"'],
    ['userName ew "son"', 'userName ew "son"'],
    ['userName ne "x"', 'userName ne "x"'],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', 'meta.lastModified gt "2011-05-13T04:42:34Z"'],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', 'meta.lastModified ge "2011-05-13T04:42:34Z"'],
    ['meta.lastModified lt "2011-05-13T04:42:34Z"', 'meta.lastModified lt "2011-05-13T04:42:34Z"'],
    ['meta.lastModified le "2011-05-13T04:42:34Z"', 'meta.lastModified le "2011-05-13T04:42:34Z"'],
    // literals: RFC 5234 §2.3 makes ABNF literals case-insensitive
    ["active eq true", "active eq true"],
    ["active eq False", "active eq false"],
    ["title eq null", "title eq null"],
    ["title eq NULL", "title eq null"],
    ["x eq 42", "x eq 42"],
    ["x eq -1.5e3", "x eq -1500"],
    ["x eq 0", "x eq 0"],
    // JSON string escapes (RFC 7159 §7)
    ['userName eq "a\\"b"', 'userName eq "a\\"b"'],
    ['userName eq "a\\\\b"', 'userName eq "a\\\\b"'],
    ['userName eq "\\u00e9"', 'userName eq "é"'],
    ['userName eq "a b  c"', 'userName eq "a b  c"'],
    ['userName eq ""', 'userName eq ""'],
    ['userName eq "and or not ( ) [ ]"', 'userName eq "and or not ( ) [ ]"'],
    // logical operators and precedence: not > and > or
    ['title pr and userType eq "Employee"', 'title pr and userType eq "Employee"'],
    ['title pr or userType eq "Intern"', 'title pr or userType eq "Intern"'],
    ["a pr or b pr and c pr", "a pr or b pr and c pr"],
    ["(a pr or b pr) and c pr", "(a pr or b pr) and c pr"],
    ["a pr AND b pr OR c pr", "a pr and b pr or c pr"],
    [
      'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
      'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
    ],
    [
      'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
    ],
    ["NOT (title pr)", "not (title pr)"],
    ["not(title pr)", "not (title pr)"],
    ["((title pr))", "title pr"],
    // value paths
    ['emails[type eq "work" and value co "@example.com"]', 'emails[type eq "work" and value co "@example.com"]'],
    ['emails[type eq "work"]', 'emails[type eq "work"]'],
    ['members[value eq "abc"]', 'members[value eq "abc"]'],
    ['emails[not (type eq "work")]', 'emails[not (type eq "work")]'],
    ['emails[type eq "work" or (primary eq true)]', 'emails[type eq "work" or primary eq true]'],
    [
      'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
      'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
    ],
    [
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
    ],
    // Entra: a value path followed by a sub-attribute comparison
    ['emails[type eq "work"].value eq "user@contoso.com"', 'emails[type eq "work" and value eq "user@contoso.com"]'],
    ['emails[type eq "work"].value pr', 'emails[type eq "work" and value pr]'],
    // URN-prefixed paths: URNs contain dots (2.0)
    [`${ENTERPRISE}:employeeNumber eq "42"`, `${ENTERPRISE}:employeeNumber eq "42"`],
    [`${ENTERPRISE}:manager.value eq "m1"`, `${ENTERPRISE}:manager.value eq "m1"`],
    [`${CORE_USER}:userName eq "x"`, `${CORE_USER}:userName eq "x"`],
    [`${CORE_USER}:name.givenName eq "x"`, `${CORE_USER}:name.givenName eq "x"`],
    [`${ENTERPRISE.toUpperCase()}:employeeNumber eq "42"`, `${ENTERPRISE}:employeeNumber eq "42"`],
    // whitespace tolerance
    ['  userName   eq   "x"  ', 'userName eq "x"'],
    ['userName\teq\n"x"', 'userName eq "x"'],
    ['(userName eq "x")and(title pr)', 'userName eq "x" and title pr'],
    ['emails[ type eq "work" ]', 'emails[type eq "work"]'],
    // Entra group lookup
    ['displayName eq "Group A"', 'displayName eq "Group A"'],
    ['externalId eq "0a1b"', 'externalId eq "0a1b"'],
    ['id eq "abc" and members[value eq "def"]', 'id eq "abc" and members[value eq "def"]'],
    ["$ref pr", "$ref pr"],
  ])("%s", (input, canonical) => {
    expect(formatFilter(parseFilter(input))).toBe(canonical);
  });
});

describe("parseFilter: AST shape", () => {
  it('gives "and" precedence over "or"', () => {
    const ast = parseFilter("a pr or b pr and c pr");
    if (ast.kind !== "or") throw new Error(`expected or, got ${ast.kind}`);
    expect(ast.right.kind).toBe("and");
  });

  it("splits known schema URNs instead of splitting on dots", () => {
    expect(parseFilter(`${ENTERPRISE}:employeeNumber eq "1"`)).toEqual({
      kind: "compare",
      path: { schema: ENTERPRISE, attribute: "employeeNumber", subAttribute: undefined },
      op: "eq",
      value: "1",
    });
  });

  it("splits an unknown URN at its last colon (attribute names cannot contain one)", () => {
    expect(parseFilter('urn:example:custom:1.0:User:badge.color eq "red"')).toMatchObject({
      path: { schema: "urn:example:custom:1.0:User", attribute: "badge", subAttribute: "color" },
    });
  });

  it("parses numbers as numbers and keywords as literals", () => {
    expect(parseFilter("x eq 12")).toMatchObject({ value: 12 });
    expect(parseFilter("x eq true")).toMatchObject({ value: true });
    expect(parseFilter("x eq null")).toMatchObject({ value: null });
    expect(parseFilter('x eq "true"')).toMatchObject({ value: "true" });
  });
});

describe("parseFilter: rejected with 400 invalidFilter saying where and what", () => {
  it.each([
    ["", /empty/],
    ["   ", /empty/],
    ["userName", /expected an operator/],
    ["userName eq", /expected a value/],
    ['userName regex "x"', /operator "regex" is not supported/],
    ["userName eq x", /quote strings/],
    ["userName eq 'x'", /double quotes/],
    ['userName eq "x', /not closed/],
    ['userName eq "\\x"', /invalid escape/],
    ['userName eq "x" userName eq "y"', /expected "and", "or"/],
    ['userName eq "x" and', /expected an attribute name/],
    ['(userName eq "x"', /expected "\)" to close/],
    ['userName eq "x")', /expected "and", "or" or the end/],
    ['emails[type eq "work"', /expected "\]" to close/],
    ['emails[type eq "work"]]', /expected "and", "or"/],
    ['emails[emails[type eq "x"]]', /cannot be nested/],
    ['emails[urn:x:y:type eq "x"]', /sub-attribute of the enclosing attribute/],
    ['emails[type.x eq "x"]', /sub-attribute of the enclosing attribute/],
    ['emails.value[type eq "x"]', /must follow the multi-valued attribute/],
    ['emails[type eq "work"].', /expected a sub-attribute name/],
    ['emails[type eq "work"].value', /expected an operator/],
    ['not userName eq "x"', /parentheses/],
    ['name.givenName.x eq "y"', /nests deeper/],
    ['1abc eq "x"', /is not a number/],
    ["userName eq 01", /is not a number/],
    ['userName eq "x" & title pr', /unexpected character "&"/],
    ['userName eq "x" or', /expected an attribute name/],
    ['userName pr "x"', /expected "and", "or"/],
    ["()", /expected an attribute name/],
    ["userName eq [", /expected a value/],
  ])("%j", (input, message) => {
    const error = invalidFilter(input);
    expect(error.status).toBe(400);
    expect(error.scimType).toBe("invalidFilter");
    expect(error.detail).toMatch(message);
  });

  it("reports the character position", () => {
    expect(invalidFilter('userName eq "x" zz').detail).toMatch(/character 17/);
  });

  it("caps the length", () => {
    const long = `userName eq "${"a".repeat(5000)}"`;
    expect(invalidFilter(long).detail).toMatch(/at most 4096/);
  });

  it("caps the nesting depth", () => {
    const deep = `${"(".repeat(50)}title pr${")".repeat(50)}`;
    expect(invalidFilter(deep).detail).toMatch(/nesting deeper than 12/);
    const notDeep = `${"not (".repeat(20)}title pr${")".repeat(20)}`;
    expect(invalidFilter(notDeep).detail).toMatch(/nesting deeper/);
  });

  it("caps the number of comparisons", () => {
    const many = Array.from({ length: 101 }, (_, i) => `userName eq "u${i}"`).join(" or ");
    expect(invalidFilter(many).detail).toMatch(/more than 100 comparisons/);
  });

  it("accepts custom limits", () => {
    expect(() => parseFilter("(title pr)", { maxLength: 100, maxDepth: 0, maxTerms: 10 })).toThrow(/nesting/);
  });
});
