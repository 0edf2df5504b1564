import { describe, expect, it } from "vitest";
import { type SqlMapping, escapeLike, filterToSql, sortToSql } from "./filter-to-sql";
import { parseFilter } from "./parse-filter";
import { GROUP_RESOURCE, USER_RESOURCE } from "./schemas";
import { sql, toPostgres } from "./sql";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

const users: SqlMapping = {
  resource: USER_RESOURCE,
  columns: {
    id: { kind: "uuid", column: '"id"' },
    externalId: { kind: "text", column: '"externalId"' },
    userName: { kind: "text", column: '"userName"', lowerColumn: '"userNameKey"' },
    displayName: { kind: "text", column: '"displayName"' },
    active: { kind: "boolean", column: '"active"' },
    "name.givenName": { kind: "text", column: '"givenName"' },
    "name.familyName": { kind: "text", column: '"familyName"' },
    "meta.created": { kind: "timestamp", column: '"createdAt"' },
    "meta.lastModified": { kind: "timestamp", column: '"updatedAt"' },
    emails: { kind: "jsonArray", column: '"emails"' },
    phoneNumbers: { kind: "jsonArray", column: '"attributes"', path: ["phoneNumbers"] },
    [`${ENTERPRISE}:employeeNumber`]: { kind: "jsonValue", column: '"attributes"', path: [ENTERPRISE, "employeeNumber"] },
  },
  document: '"attributes"',
};

const EXISTS = (where: string, column = '"emails"') => `EXISTS (SELECT 1 FROM jsonb_array_elements(${column}) AS scim_elem WHERE ${where})`;

describe("filterToSql: text, values parameterized", () => {
  it.each([
    // Okta / Entra lookups: userName matched case-insensitively through the indexed key column
    ['userName eq "Bjensen@Example.com"', '"userNameKey" = lower($1)', ["Bjensen@Example.com"]],
    ['userName ne "x"', '"userNameKey" IS DISTINCT FROM lower($1)', ["x"]],
    ['userName sw "bj"', `"userNameKey" LIKE lower($1) ESCAPE '\\'`, ["bj%"]],
    ['userName ew "@x.com"', `"userNameKey" LIKE lower($1) ESCAPE '\\'`, ["%@x.com"]],
    ['userName co "jen"', `"userNameKey" LIKE lower($1) ESCAPE '\\'`, ["%jen%"]],
    ['userName gt "m"', '"userNameKey" > lower($1)', ["m"]],
    ["userName pr", `COALESCE("userName", '') <> ''`, []],
    ["userName eq null", '"userName" IS NULL', []],
    // caseExact attributes compare exactly (RFC 7643 §3.1)
    ['externalId eq "Ext-1"', '"externalId" = $1', ["Ext-1"]],
    ['externalId co "x"', `"externalId" LIKE $1 ESCAPE '\\'`, ["%x%"]],
    ['externalId le "x"', '"externalId" <= $1', ["x"]],
    // case-insensitive without key column
    ['displayName eq "Babs"', 'lower("displayName") = lower($1)', ["Babs"]],
    ['displayName co "ab"', `"displayName" ILIKE $1 ESCAPE '\\'`, ["%ab%"]],
    ['displayName lt "b"', 'lower("displayName") < lower($1)', ["b"]],
    // LIKE wildcards in user input are escaped, never interpreted
    ['displayName co "50%_off\\\\"', `"displayName" ILIKE $1 ESCAPE '\\'`, ["%50\\%\\_off\\\\%"]],
    // uuid ids: a non-UUID value matches nothing instead of a cast error (Okta probes random ids)
    ['id eq "2819c223-7f76-453a-919d-413861904646"', '"id" = CAST($1 AS uuid)', ["2819c223-7f76-453a-919d-413861904646"]],
    ['id eq "not-a-uuid"', "FALSE", []],
    ['id ne "not-a-uuid"', '"id" IS NOT NULL', []],
    ['id sw "2819"', `CAST("id" AS text) LIKE $1 ESCAPE '\\'`, ["2819%"]],
    // booleans
    ["active eq true", '"active" = $1', [true]],
    ['active eq "False"', '"active" = $1', [false]],
    ["active ne false", '"active" IS DISTINCT FROM $1', [false]],
    ["active pr", '"active" IS NOT NULL', []],
    // timestamps
    ['meta.created gt "2024-01-01T00:00:00Z"', '"createdAt" > CAST($1 AS timestamptz)', ["2024-01-01T00:00:00Z"]],
    ['meta.lastModified ge "2024-01-01T00:00:00Z"', '"updatedAt" >= CAST($1 AS timestamptz)', ["2024-01-01T00:00:00Z"]],
    ['meta.lastModified lt "2024-01-01"', '"updatedAt" < CAST($1 AS timestamptz)', ["2024-01-01"]],
    ['meta.created le "2024-01-01T00:00:00+02:00"', '"createdAt" <= CAST($1 AS timestamptz)', ["2024-01-01T00:00:00+02:00"]],
    ["meta.created pr", '"createdAt" IS NOT NULL', []],
    // sub-attribute columns
    ['name.givenName eq "Barbara"', 'lower("givenName") = lower($1)', ["Barbara"]],
    [
      "name pr",
      `(COALESCE(jsonb_extract_path_text("attributes", $1, $2), '') <> '' OR COALESCE("familyName", '') <> '' OR COALESCE("givenName", '') <> '' OR COALESCE(jsonb_extract_path_text("attributes", $3, $4), '') <> '' OR COALESCE(jsonb_extract_path_text("attributes", $5, $6), '') <> '' OR COALESCE(jsonb_extract_path_text("attributes", $7, $8), '') <> '')`,
      ["name", "formatted", "name", "middleName", "name", "honorificPrefix", "name", "honorificSuffix"],
    ],
    // multi-valued jsonb arrays: Entra's emails[type eq "work"].value eq
    [
      'emails[type eq "work"].value eq "a@b.c"',
      EXISTS(`(lower(scim_elem->>'type') = lower($1) AND lower(scim_elem->>'value') = lower($2))`),
      ["work", "a@b.c"],
    ],
    [
      'emails[type eq "work" and value co "@x"]',
      EXISTS(`(lower(scim_elem->>'type') = lower($1) AND scim_elem->>'value' ILIKE $2 ESCAPE '\\')`),
      ["work", "%@x%"],
    ],
    ['emails.value co "x"', EXISTS(`scim_elem->>'value' ILIKE $1 ESCAPE '\\'`), ["%x%"]],
    ['emails co "x"', EXISTS(`scim_elem->>'value' ILIKE $1 ESCAPE '\\'`), ["%x%"]],
    ["emails pr", 'EXISTS (SELECT 1 FROM jsonb_array_elements("emails") AS scim_elem)', []],
    ["emails.primary eq true", EXISTS(`scim_elem->>'primary' = $1`), ["true"]],
    ['emails[not (type eq "work")]', EXISTS(`NOT COALESCE(lower(scim_elem->>'type') = lower($1), false)`), ["work"]],
    ["emails[type pr]", EXISTS(`COALESCE(scim_elem->>'type', '') <> ''`), []],
    [
      'phoneNumbers[type eq "mobile"]',
      EXISTS(`lower(scim_elem->>'type') = lower($2)`, 'jsonb_extract_path("attributes", $1)'),
      ["phoneNumbers", "mobile"],
    ],
    // attributes inside the jsonb document, by path
    [
      `${ENTERPRISE}:employeeNumber eq "42"`,
      'lower(jsonb_extract_path_text("attributes", $1, $2)) = lower($3)',
      [ENTERPRISE, "employeeNumber", "42"],
    ],
    ['title eq "CEO"', 'lower(jsonb_extract_path_text("attributes", $1)) = lower($2)', ["title", "CEO"]],
    [
      `${ENTERPRISE}:manager.value eq "M1"`,
      'jsonb_extract_path_text("attributes", $1, $2, $3) = $4',
      [ENTERPRISE, "manager", "value", "M1"],
    ],
    ['ims[type eq "xmpp"]', EXISTS(`lower(scim_elem->>'type') = lower($2)`, 'jsonb_extract_path("attributes", $1)'), ["ims", "xmpp"]],
    [
      'x509Certificates.value eq "AAA"',
      EXISTS(`scim_elem->>'value' = $2`, 'jsonb_extract_path("attributes", $1)'),
      ["x509Certificates", "AAA"],
    ],
    // logic; "not" treats NULL as no match, like matchesFilter
    ['userName eq "a" and active eq true', '("userNameKey" = lower($1) AND "active" = $2)', ["a", true]],
    ['userName eq "a" or userName eq "b"', '("userNameKey" = lower($1) OR "userNameKey" = lower($2))', ["a", "b"]],
    [
      "a pr or b pr and c pr".replace(/\b[abc]\b/g, (m) => ({ a: "title", b: "active", c: "userName" })[m] as string),
      `(COALESCE(jsonb_extract_path_text("attributes", $1), '') <> '' OR ("active" IS NOT NULL AND COALESCE("userName", '') <> ''))`,
      ["title"],
    ],
    ['not (displayName eq "x")', 'NOT COALESCE(lower("displayName") = lower($1), false)', ["x"]],
    [
      'userName eq "x" and not (emails pr)',
      '("userNameKey" = lower($1) AND NOT COALESCE(EXISTS (SELECT 1 FROM jsonb_array_elements("emails") AS scim_elem), false))',
      ["x"],
    ],
    // URN-prefixed core attribute
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"', '"userNameKey" = lower($1)', ["x"]],
  ])("%s", (filter, text, values) => {
    expect(toPostgres(filterToSql(parseFilter(filter), users))).toEqual({ text, values });
  });

  it("never puts filter values in the SQL text", () => {
    const evil = `x' OR '1'='1`;
    const { text, values } = toPostgres(filterToSql(parseFilter(`userName eq "${evil}" or displayName co "${evil}"`), users));
    expect(text).not.toContain(evil);
    expect(values).toContain(evil);
  });
});

describe("filterToSql: unknown and unmapped attributes", () => {
  const noDocument: SqlMapping = { resource: USER_RESOURCE, columns: { userName: { kind: "text", column: '"userName"' } } };

  it.each([
    [
      "an attribute the schema does not define is 400 invalidFilter (RFC 7644 §3.12)",
      'foo eq "x"',
      users,
      /attribute "foo" is not defined/,
    ],
    [
      "a defined attribute without storage is 400 invalidFilter, not a silent false",
      'title eq "x"',
      noDocument,
      /Filtering on title is not supported/,
    ],
    ["multi-valued without storage", "emails pr", noDocument, /Filtering on emails is not supported/],
    ["complex presence without storage", "name pr", noDocument, /Filtering on name is not supported/],
  ])("%s", (_name, filter, mapping, message) => {
    expect(() => filterToSql(parseFilter(filter), mapping)).toThrow(
      expect.objectContaining({ status: 400, scimType: "invalidFilter", message: expect.stringMatching(message) }),
    );
  });

  it("throws a programming error for a jsonArray mapping on a single-valued attribute", () => {
    const wrong: SqlMapping = { resource: USER_RESOURCE, columns: { userName: { kind: "jsonArray", column: '"x"' } } };
    expect(() => filterToSql(parseFilter('userName eq "x"'), wrong)).toThrow(/single-valued/);
  });
});

describe("filterToSql: custom mappings (group members through a join table)", () => {
  const groups: SqlMapping = {
    resource: GROUP_RESOURCE,
    columns: {
      displayName: { kind: "text", column: '"g"."displayName"', lowerColumn: '"g"."displayNameKey"' },
      members: {
        kind: "custom",
        toSql: (node) => {
          if (
            node.kind === "valuePath" &&
            node.filter.kind === "compare" &&
            node.filter.op === "eq" &&
            node.filter.attr.subAttribute?.name === "value"
          ) {
            return sql`EXISTS (SELECT 1 FROM "GroupMember" m WHERE m."groupId" = "g"."id" AND m."memberId" = ${node.filter.value})`;
          }
          if (node.kind === "present") return sql`EXISTS (SELECT 1 FROM "GroupMember" m WHERE m."groupId" = "g"."id")`;
          throw new Error("unsupported");
        },
      },
    },
  };

  it.each([
    [
      'displayName eq "Data" and members[value eq "u1"]',
      '("g"."displayNameKey" = lower($1) AND EXISTS (SELECT 1 FROM "GroupMember" m WHERE m."groupId" = "g"."id" AND m."memberId" = $2))',
      ["Data", "u1"],
    ],
    ['members.value eq "u1"', 'EXISTS (SELECT 1 FROM "GroupMember" m WHERE m."groupId" = "g"."id" AND m."memberId" = $1)', ["u1"]],
    ["members pr", 'EXISTS (SELECT 1 FROM "GroupMember" m WHERE m."groupId" = "g"."id")', []],
  ])("%s", (filter, text, values) => {
    expect(toPostgres(filterToSql(parseFilter(filter), groups))).toEqual({ text, values });
  });
});

describe("sortToSql (RFC 7644 §3.4.2.3)", () => {
  it.each([
    ["userName", "ascending", '"userNameKey" ASC NULLS LAST'],
    ["USERNAME", "descending", '"userNameKey" DESC NULLS LAST'],
    ["displayName", "ascending", 'lower("displayName") ASC NULLS LAST'],
    ["externalId", "ascending", '"externalId" ASC NULLS LAST'],
    ["meta.created", "descending", '"createdAt" DESC NULLS LAST'],
    ["active", "ascending", '"active" ASC NULLS LAST'],
    ["title", "ascending", 'lower(jsonb_extract_path_text("attributes", $1)) ASC NULLS LAST'],
    [
      "emails",
      "ascending",
      `(SELECT scim_elem->>'value' FROM jsonb_array_elements("emails") AS scim_elem ORDER BY (scim_elem->>'primary') = 'true' DESC NULLS LAST LIMIT 1) ASC NULLS LAST`,
    ],
    [
      "emails.type",
      "ascending",
      `(SELECT scim_elem->>'type' FROM jsonb_array_elements("emails") AS scim_elem ORDER BY (scim_elem->>'primary') = 'true' DESC NULLS LAST LIMIT 1) ASC NULLS LAST`,
    ],
  ] as const)("%s %s", (sortBy, order, text) => {
    expect(toPostgres(sortToSql(sortBy, order, users)).text).toBe(text);
  });

  it.each([
    ["foo", /not defined/],
    ["name", /complex/],
    ["name..x", /invalid sub-attribute|not an attribute path/],
  ])("rejects sortBy %s with 400 invalidValue", (sortBy, message) => {
    expect(() => sortToSql(sortBy, "ascending", users)).toThrow(
      expect.objectContaining({ scimType: "invalidValue", message: expect.stringMatching(message) }),
    );
  });
});

describe("escapeLike", () => {
  it.each([
    ["plain", "plain"],
    ["50%", "50\\%"],
    ["a_b", "a\\_b"],
    ["back\\slash", "back\\\\slash"],
    ["%_\\", "\\%\\_\\\\"],
  ])("%s", (input, escaped) => {
    expect(escapeLike(input)).toBe(escaped);
  });
});
