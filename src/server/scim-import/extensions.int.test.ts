/**
 * Custom User extension schemas, over the real route handler on PostgreSQL, in the request shapes
 * Okta and Entra ID send:
 * - Okta: attributes an admin adds in the app's profile editor go under the external namespace
 *   set there, an extension schema URN, as a value object in POST and PUT bodies
 *   (https://developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20/, "Create the user"; Okta
 *   updates a profile with PUT /Users/{id}).
 * - Entra ID: "Provisioning a custom extension attribute to a SCIM compliant application"
 *   (https://learn.microsoft.com/en-us/entra/identity/app-provisioning/customize-application-attributes):
 *   `urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:CustomAttribute`, sent as an
 *   object under the schema URN in POST, as a PATCH `path`, in its capitalised ops ("Add",
 *   "Replace", "Remove") with booleans as "True"/"False" strings, and in lookup filters when it is
 *   the matching attribute. Custom attributes there are singular, never complex or multi-valued.
 * Responses are also parsed with SCIMMY, a SCIM implementation we did not write.
 */
import SCIMMY from "scimmy";
import { beforeAll, describe, expect, it } from "vitest";
import * as route from "@/app/api/scim/v2/[tenant]/[[...path]]/route";
import { db } from "../db";
import { newScimTenant, scimClient, setUserExtensions } from "../../testing/factories/scim-import";
import { newMemberOf, newOwner } from "../../testing/factories/trpc";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/** Declared by the tenant (Okta's profile editor namespace). */
const ACME = "urn:ietf:params:scim:schemas:extension:acme:2.0:User";
/** Not declared: Entra's documented example. */
const CUSTOM = "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User";

const ACME_DECLARATION = {
  urn: ACME,
  attributes: [
    { name: "costCenter", type: "string" as const, description: "Cost center from the HR system" },
    { name: "isContractor", type: "boolean" as const, description: "" },
    { name: "badgeNumber", type: "integer" as const, description: "" },
    { name: "hireDate", type: "dateTime" as const, description: "" },
  ],
};

let tenant: Awaited<ReturnType<typeof newScimTenant>>;
let scim: ReturnType<typeof scimClient>;
beforeAll(async () => {
  tenant = await newScimTenant();
  await setUserExtensions(tenant.id, { undeclared: "accept", extensions: [ACME_DECLARATION] });
  scim = scimClient(route, tenant);
});

const q = (filter: string) => `/Users?filter=${encodeURIComponent(filter)}&startIndex=1&count=100`;
const patch = (Operations: unknown[]) => ({ schemas: [PATCH], Operations });

describe("Okta: a declared extension in POST, GET, PUT and filters", () => {
  it("stores typed values, returns them with the URN in schemas, and finds users by them", async () => {
    const created = await scim("POST", "/Users", {
      schemas: [USER, ACME],
      userName: "okta.ext@acme.example",
      name: { givenName: "Okta", familyName: "Ext" },
      emails: [{ primary: true, value: "okta.ext@acme.example", type: "work" }],
      active: true,
      [ACME]: { costCenter: "CC-100", isContractor: false, badgeNumber: 42, hireDate: "2024-03-01T00:00:00Z" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.schemas).toEqual([USER, ACME]);
    expect(created.body[ACME]).toEqual({ costCenter: "CC-100", isContractor: false, badgeNumber: 42, hireDate: "2024-03-01T00:00:00Z" });

    const read = await scim("GET", `/Users/${created.body.id}`);
    expect(read.body[ACME]).toEqual(created.body[ACME]);
    // Okta's lookup before create, then a filter on the custom attribute (any case of its name and URN).
    expect((await scim("GET", q('userName eq "okta.ext@acme.example"'))).body.Resources[0][ACME].costCenter).toBe("CC-100");
    for (const filter of [
      `${ACME}:costCenter eq "CC-100"`,
      `${ACME.toLowerCase()}:COSTCENTER eq "cc-100"`,
      `${ACME}:isContractor eq false`,
      `${ACME}:badgeNumber ge 40`,
      `${ACME}:hireDate gt "2024-01-01T00:00:00Z"`,
      `${ACME}:costCenter sw "CC" and active eq true`,
    ]) {
      const found = await scim("GET", q(filter));
      expect(found.status, `${filter}: ${JSON.stringify(found.body)}`).toBe(200);
      expect(
        found.body.Resources.map((r: { id: string }) => r.id),
        filter,
      ).toEqual([created.body.id]);
    }
    expect((await scim("GET", q(`${ACME}:costCenter eq "CC-999"`))).body.totalResults).toBe(0);

    // Okta pushes a profile change with PUT: the whole user, extension included.
    const put = await scim("PUT", `/Users/${created.body.id}`, {
      ...created.body,
      [ACME]: { costCenter: "CC-200", isContractor: true, badgeNumber: 43 },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body[ACME]).toEqual({ costCenter: "CC-200", isContractor: true, badgeNumber: 43 });
    expect((await scim("GET", q(`${ACME}:costCenter eq "CC-200"`))).body.totalResults).toBe(1);
    // Re-sending the same user writes nothing (same version).
    const again = await scim("PUT", `/Users/${created.body.id}`, put.body);
    expect(again.body.meta.version).toBe(put.body.meta.version);
    // PUT without the extension removes it.
    const { [ACME]: _dropped, ...withoutExtension } = put.body;
    const removed = await scim("PUT", `/Users/${created.body.id}`, { ...withoutExtension, schemas: [USER] });
    expect(removed.body[ACME]).toBeUndefined();
    expect(removed.body.schemas).toEqual([USER]);
  });

  it("enforces declared types with a 400 in SCIM error format, and changes nothing", async () => {
    for (const [attribute, value, message] of [
      ["isContractor", "abc", /isContractor must be true or false/],
      ["badgeNumber", "twelve", /badgeNumber must be an integer/],
      ["hireDate", "yesterday", /hireDate must be an xsd:dateTime/],
    ] as const) {
      const res = await scim("POST", "/Users", {
        schemas: [USER, ACME],
        userName: `bad.${attribute}@acme.example`,
        [ACME]: { [attribute]: value },
      });
      expect(res.status, attribute).toBe(400);
      expect(res.body.schemas).toEqual([ERROR]);
      expect(res.body.scimType).toBe("invalidValue");
      expect(res.body.detail).toMatch(message);
    }
    expect(await db().directoryUser.count({ where: { tenantId: tenant.id, userName: { startsWith: "bad." } } })).toBe(0);
  });
});

describe("Entra ID: an undeclared extension and a declared one, in every PATCH dialect", () => {
  it("creates, finds, patches and removes custom attributes", async () => {
    const created = await scim("POST", "/Users", {
      schemas: [USER, ENTERPRISE, CUSTOM],
      externalId: "bjensen",
      userName: "bjensen@entra.example",
      active: true,
      name: { formatted: "Ms. Barbara J Jensen III", familyName: "Jensen", givenName: "Barbara" },
      [ENTERPRISE]: { employeeNumber: "701984", costCenter: "4130" },
      [CUSTOM]: { CustomAttribute: "701984" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.schemas).toEqual([USER, ENTERPRISE, CUSTOM]);
    expect(created.body[CUSTOM]).toEqual({ CustomAttribute: "701984" });
    const id = created.body.id;

    // The custom attribute as the matching attribute: Entra's lookup before it creates.
    const lookup = await scim("GET", `/Users?filter=${encodeURIComponent(`${CUSTOM}:CustomAttribute eq "701984"`)}`);
    expect(lookup.status, JSON.stringify(lookup.body)).toBe(200);
    expect(lookup.body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);

    const patched = await scim(
      "PATCH",
      `/Users/${id}`,
      patch([
        { op: "Replace", path: `${CUSTOM}:CustomAttribute`, value: "701985" },
        { op: "Add", path: `${ACME}:isContractor`, value: "True" },
        { op: "Add", path: `${ACME}:badgeNumber`, value: "7" },
        // Value objects: keyed by the schema URN (aadOptscim062020, Okta), and by the full attribute path.
        { op: "replace", value: { [CUSTOM]: { Office: "B-12" } } },
        { op: "add", value: { [`${CUSTOM}:Floor`]: "3", [`${ACME}:costCenter`]: "CC-7" } },
      ]),
    );
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.schemas).toEqual([USER, ENTERPRISE, ACME, CUSTOM]);
    expect(patched.body[CUSTOM]).toEqual({ CustomAttribute: "701985", Office: "B-12", Floor: "3" });
    expect(patched.body[ACME]).toEqual({ isContractor: true, badgeNumber: 7, costCenter: "CC-7" });
    expect((await scim("GET", q(`${ACME}:isContractor eq true and ${CUSTOM}:Office eq "B-12"`))).body.totalResults).toBe(1);

    const bad = await scim("PATCH", `/Users/${id}`, patch([{ op: "Replace", path: `${ACME}:isContractor`, value: "abc" }]));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ schemas: [ERROR], scimType: "invalidValue" });

    const removed = await scim(
      "PATCH",
      `/Users/${id}`,
      patch([
        { op: "Remove", path: `${CUSTOM}:CustomAttribute` },
        { op: "Remove", path: `${CUSTOM}:Office` },
        { op: "Remove", path: `${CUSTOM}:Floor` },
        { op: "Replace", path: `${ACME}:isContractor`, value: "False" },
      ]),
    );
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(removed.body[CUSTOM]).toBeUndefined();
    expect(removed.body.schemas).toEqual([USER, ENTERPRISE, ACME]);
    expect(removed.body[ACME].isContractor).toBe(false);
    expect((await scim("GET", q(`${CUSTOM}:CustomAttribute pr`))).body.totalResults).toBe(0);
  });

  it("refuses what is not declared when the tenant says so, naming it", async () => {
    const strict = await newScimTenant();
    await setUserExtensions(strict.id, { undeclared: "refuse", extensions: [ACME_DECLARATION] });
    const client = scimClient(route, strict);
    const body = await client("POST", "/Users", {
      schemas: [USER, CUSTOM],
      userName: "strict@entra.example",
      [CUSTOM]: { CustomAttribute: "1" },
    });
    expect(body.status).toBe(400);
    expect(body.body).toMatchObject({ schemas: [ERROR], scimType: "invalidValue" });
    expect(body.body.detail).toContain(CUSTOM);
    expect(body.body.detail).toContain("refuses undeclared extensions");
    const attribute = await client("POST", "/Users", {
      schemas: [USER, ACME],
      userName: "strict@entra.example",
      [ACME]: { shoeSize: "9" },
    });
    expect(attribute.status).toBe(400);
    expect(attribute.body.detail).toContain('"shoeSize" is not declared');

    const created = await client("POST", "/Users", { schemas: [USER], userName: "strict@entra.example" });
    expect(created.status).toBe(201);
    const path = await client("PATCH", `/Users/${created.body.id}`, patch([{ op: "Add", path: `${CUSTOM}:CustomAttribute`, value: "1" }]));
    expect(path.status).toBe(400);
    expect(path.body.scimType).toBe("invalidPath");
    const filter = await client("GET", q(`${CUSTOM}:CustomAttribute eq "1"`));
    expect(filter.status).toBe(400);
    expect(filter.body.scimType).toBe("invalidFilter");
    expect((await client("GET", q(`${ACME}:costCenter eq "x"`))).status).toBe(200);
  });
});

describe("discovery advertises the tenant's declared extensions", () => {
  it("lists them in /Schemas and /ResourceTypes, typed as declared", async () => {
    const schemas = await scim("GET", "/Schemas");
    const acme = schemas.body.Resources.find((s: { id: string }) => s.id === ACME);
    expect(acme.attributes.map((a: { name: string; type: string }) => [a.name, a.type])).toEqual([
      ["costCenter", "string"],
      ["isContractor", "boolean"],
      ["badgeNumber", "integer"],
      ["hireDate", "dateTime"],
    ]);
    expect((await scim("GET", `/Schemas/${ACME}`)).body.id).toBe(ACME);
    const userType = await scim("GET", "/ResourceTypes/User");
    expect(userType.body.schemaExtensions).toEqual([
      { schema: ENTERPRISE, required: false },
      { schema: ACME, required: false },
    ]);
    // Another tenant declares nothing: it advertises only the enterprise extension.
    const other = await newScimTenant();
    const plain = await scimClient(route, other)("GET", "/ResourceTypes/User");
    expect(plain.body.schemaExtensions).toEqual([{ schema: ENTERPRISE, required: false }]);
  });

  it("also lists the undeclared extensions the tenant's users hold, as text, unless the tenant refuses them", async () => {
    const entra = await newScimTenant();
    await setUserExtensions(entra.id, {
      undeclared: "accept",
      extensions: [{ urn: CUSTOM, attributes: [{ name: "declared", type: "boolean", description: "" }] }],
    });
    const client = scimClient(route, entra);
    const ORG = "urn:ietf:params:scim:schemas:extension:org:2.0:User";
    const created = await client("POST", "/Users", {
      schemas: [USER, CUSTOM],
      userName: "undeclared@entra.example",
      [CUSTOM]: { CustomAttribute: "701984", DECLARED: "True" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // Entra's PATCH path form adds another undeclared extension.
    const patched = await client("PATCH", `/Users/${created.body.id}`, patch([{ op: "Add", path: `${ORG}:division`, value: "R&D" }]));
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);

    const schemas = (await client("GET", "/Schemas")).body.Resources as {
      id: string;
      attributes: { name: string; type: string; description: string }[];
    }[];
    const custom = schemas.find((s) => s.id === CUSTOM);
    expect(custom?.attributes.map((a) => [a.name, a.type])).toEqual([
      ["declared", "boolean"],
      ["CustomAttribute", "string"],
    ]);
    expect(custom?.attributes[1]?.description).toMatch(/undeclared, kept as text/i);
    const org = (await client("GET", `/Schemas/${ORG}`)).body;
    expect(org.attributes.map((a: { name: string; type: string }) => [a.name, a.type])).toEqual([["division", "string"]]);
    expect((await client("GET", "/ResourceTypes/User")).body.schemaExtensions).toEqual([
      { schema: ENTERPRISE, required: false },
      { schema: CUSTOM, required: false },
      { schema: ORG, required: false },
    ]);

    // Refusing them: a client is not told about attributes it would be refused for.
    await setUserExtensions(entra.id, { undeclared: "refuse", extensions: [] });
    expect((await client("GET", "/ResourceTypes/User")).body.schemaExtensions).toEqual([{ schema: ENTERPRISE, required: false }]);
    expect((await client("GET", `/Schemas/${ORG}`)).status).toBe(404);
  });

  it("serves a schema SCIMMY takes as an extension, and users SCIMMY parses with it", async () => {
    const schema = (await scim("GET", `/Schemas/${ACME}`)).body;
    const definition = new SCIMMY.Types.SchemaDefinition(
      schema.name,
      schema.id,
      schema.description,
      schema.attributes.map(
        (a: { type: string; name: string; description: string }) =>
          new SCIMMY.Types.Attribute(a.type as "string", a.name, { description: a.description }),
      ),
    );
    SCIMMY.Schemas.User.extend(definition as unknown as Parameters<typeof SCIMMY.Schemas.User.extend>[0], false);
    const created = await scim("POST", "/Users", {
      schemas: [USER, ACME],
      userName: "scimmy.ext@acme.example",
      [ACME]: { costCenter: "CC-5", isContractor: "true", badgeNumber: 5 },
    });
    const parsed = new SCIMMY.Schemas.User(created.body, "out") as unknown as Record<string, Record<string, unknown>>;
    expect(parsed[ACME]).toMatchObject({ costCenter: "CC-5", isContractor: true, badgeNumber: 5 });
  });
});

describe("the console's declaration procedures", () => {
  it("declare, refuse duplicates and bad input, switch the policy, remove; viewers only read", async () => {
    const owner = await newOwner();
    const tenantSlug = owner.slug;
    const { token } = await owner.caller.scimImport.generateToken({ tenantSlug });
    const client = scimClient(route, { slug: tenantSlug, token });
    expect(await owner.caller.scimImport.userExtensions({ tenantSlug })).toEqual({ undeclared: "accept", extensions: [] });

    await owner.caller.scimImport.declareUserExtensionAttribute({
      tenantSlug,
      urn: ACME,
      attribute: { name: "isContractor", type: "boolean", description: "" },
    });
    // Taken in at once by SCIM Import: a bad boolean is refused now.
    const refused = await client("POST", "/Users", { schemas: [USER, ACME], userName: "c@acme.example", [ACME]: { isContractor: "abc" } });
    expect(refused.status).toBe(400);
    await expect(
      owner.caller.scimImport.declareUserExtensionAttribute({
        tenantSlug,
        urn: ACME.toUpperCase().replace("URN:", "urn:"),
        attribute: { name: "ISCONTRACTOR", type: "string", description: "" },
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      owner.caller.scimImport.declareUserExtensionAttribute({
        tenantSlug,
        urn: ENTERPRISE,
        attribute: { name: "x", type: "string", description: "" },
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      owner.caller.scimImport.declareUserExtensionAttribute({
        tenantSlug,
        urn: ACME,
        attribute: { name: "has space", type: "string", description: "" },
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });

    await owner.caller.scimImport.setUndeclaredUserExtensions({ tenantSlug, undeclared: "refuse" });
    expect((await client("POST", "/Users", { schemas: [USER, CUSTOM], userName: "d@acme.example", [CUSTOM]: { a: "1" } })).status).toBe(
      400,
    );

    const viewer = await newMemberOf(owner);
    expect((await viewer.scimImport.userExtensions({ tenantSlug })).extensions).toHaveLength(1);
    await expect(viewer.scimImport.removeUserExtensionAttribute({ tenantSlug, urn: ACME, name: "isContractor" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    // The console's user page lists what the IdP sent, declared or not, typed values as they are.
    const made = await client("POST", "/Users", {
      schemas: [USER, ACME],
      userName: "e@acme.example",
      [ACME]: { isContractor: "True" },
    });
    await owner.caller.scimImport.setUndeclaredUserExtensions({ tenantSlug, undeclared: "accept" });
    await client("PATCH", `/Users/${made.body.id}`, patch([{ op: "Add", path: `${CUSTOM}:CustomAttribute`, value: "701984" }]));
    expect((await viewer.users.get({ tenantSlug, userId: made.body.id })).customAttributes).toEqual([
      { schema: CUSTOM, name: "CustomAttribute", value: "701984" },
      { schema: ACME, name: "isContractor", value: true },
    ]);
    await owner.caller.scimImport.setUndeclaredUserExtensions({ tenantSlug, undeclared: "refuse" });

    const after = await owner.caller.scimImport.removeUserExtensionAttribute({ tenantSlug, urn: ACME, name: "isContractor" });
    expect(after).toEqual({ undeclared: "refuse", extensions: [] });
    expect((await client("GET", "/ResourceTypes/User")).body.schemaExtensions).toEqual([{ schema: ENTERPRISE, required: false }]);
  });

  it("keeps every one of concurrent edits (admins declaring at once)", async () => {
    const owner = await newOwner();
    const tenantSlug = owner.slug;
    const names = ["costCenter", "division", "badge", "region", "level", "site"];
    // All at once, on separate connections: each reads the declarations before any has written.
    await Promise.all(
      names.map((name) =>
        owner.caller.scimImport.declareUserExtensionAttribute({
          tenantSlug,
          urn: ACME,
          attribute: { name, type: "string", description: "" },
        }),
      ),
    );
    const declared = await owner.caller.scimImport.userExtensions({ tenantSlug });
    expect(declared.extensions.flatMap((e) => e.attributes.map((a) => a.name)).sort()).toEqual([...names].sort());
  });
});
