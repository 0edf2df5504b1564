import { describe, expect, it } from "vitest";
import { findResourceTypeDocument, findSchemaDocument, resourceTypeDocuments, schemaDocuments, serviceProviderConfig } from "./discovery";

const base = "https://console.example.com/api/scim/v2/acme/";

describe("discovery documents (RFC 7643 §5–7)", () => {
  it("ServiceProviderConfig advertises what the server does", () => {
    expect(serviceProviderConfig({ baseUrl: base, bulk: { maxOperations: 100, maxPayloadSize: 1_048_576 }, maxResults: 1000 })).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
      patch: { supported: true },
      bulk: { supported: true, maxOperations: 100, maxPayloadSize: 1_048_576 },
      filter: { supported: true, maxResults: 1000 },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [expect.objectContaining({ type: "oauthbearertoken", primary: true })],
      meta: { resourceType: "ServiceProviderConfig", location: "https://console.example.com/api/scim/v2/acme/ServiceProviderConfig" },
    });
  });

  it("ResourceTypes: User with the enterprise extension, Group", () => {
    const [user, group] = resourceTypeDocuments(base);
    expect(user).toMatchObject({
      id: "User",
      endpoint: "/Users",
      schema: "urn:ietf:params:scim:schemas:core:2.0:User",
      schemaExtensions: [{ schema: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", required: false }],
      meta: { resourceType: "ResourceType", location: `${base}ResourceTypes/User` },
    });
    expect(group).toMatchObject({ id: "Group", endpoint: "/Groups", schemaExtensions: [] });
  });

  it("Schemas: three schemas with full attribute characteristics", () => {
    const schemas = schemaDocuments(base);
    expect(schemas.map((schema) => schema.id)).toEqual([
      "urn:ietf:params:scim:schemas:core:2.0:User",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
      "urn:ietf:params:scim:schemas:core:2.0:Group",
    ]);
    const userName = schemas[0]?.attributes.find((a) => a.name === "userName");
    expect(userName).toEqual({
      name: "userName",
      type: "string",
      multiValued: false,
      description: expect.any(String),
      required: true,
      caseExact: false,
      mutability: "readWrite",
      returned: "default",
      uniqueness: "server",
    });
    const emails = schemas[0]?.attributes.find((a) => a.name === "emails");
    expect(emails?.subAttributes?.map((s) => s.name)).toEqual(["value", "display", "type", "primary"]);
    expect(schemas[0]?.attributes.find((a) => a.name === "password")).toMatchObject({ mutability: "writeOnly", returned: "never" });
    expect(schemas[0]?.attributes.find((a) => a.name === "groups")).toMatchObject({ mutability: "readOnly" });
    expect(schemas[0]?.meta.location).toBe(`${base}Schemas/urn:ietf:params:scim:schemas:core:2.0:User`);
  });

  it.each([
    ["urn:ietf:params:scim:schemas:core:2.0:Group", true],
    ["URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:GROUP", true],
    ["urn:nope", false],
  ])("findSchemaDocument(%s)", (id, found) => {
    expect(findSchemaDocument(base, id) !== undefined).toBe(found);
  });

  it.each([
    ["User", true],
    ["group", true],
    ["Device", false],
  ])("findResourceTypeDocument(%s)", (id, found) => {
    expect(findResourceTypeDocument(base, id) !== undefined).toBe(found);
  });
});
