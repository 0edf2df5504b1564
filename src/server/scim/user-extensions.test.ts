import { describe, expect, it } from "vitest";
import { SCHEMA } from "./schema-urns";
import { describedUserResource, userResourceFor } from "./user-extensions";

const ACME = "urn:ietf:params:scim:schemas:extension:acme:2.0:User";
const ORG = "urn:ietf:params:scim:schemas:extension:org:2.0:User";
const declared = { urn: ACME, attributes: [{ name: "costCenter", type: "integer" as const, description: "" }] };

const described = (undeclared: "accept" | "refuse", stored: { urn: string; name: string }[]) =>
  describedUserResource(userResourceFor({ undeclared, extensions: [declared] }), stored).extensions.map((e) => [
    e.schema.id,
    e.schema.attributes.map((a) => `${a.name}:${a.type}`),
  ]);

describe("describedUserResource: the User resource /Schemas shows", () => {
  it.each([
    ["nothing stored", "accept", [], [[ACME, ["costCenter:integer"]]]],
    [
      "a declared attribute stored in another case is not repeated",
      "accept",
      [{ urn: ACME.toUpperCase(), name: "COSTCENTER" }],
      [[ACME, ["costCenter:integer"]]],
    ],
    [
      "an undeclared attribute of a declared schema joins it as a string",
      "accept",
      [{ urn: ACME, name: "division" }],
      [[ACME, ["costCenter:integer", "division:string"]]],
    ],
    [
      "an undeclared schema is added",
      "accept",
      [
        { urn: ORG, name: "site" },
        { urn: ORG, name: "level" },
      ],
      [
        [ACME, ["costCenter:integer"]],
        [ORG, ["site:string", "level:string"]],
      ],
    ],
    [
      "core, enterprise and malformed URNs are skipped",
      "accept",
      [
        { urn: SCHEMA.user, name: "x" },
        { urn: SCHEMA.enterpriseUser, name: "x" },
        { urn: "urn:x", name: "y" },
      ],
      [[ACME, ["costCenter:integer"]]],
    ],
    ["a refusing tenant shows declared ones only", "refuse", [{ urn: ORG, name: "site" }], [[ACME, ["costCenter:integer"]]]],
  ] as const)("%s", (_, policy, stored, expected) => {
    const [enterprise, ...rest] = described(policy, [...stored]);
    expect(enterprise?.[0]).toBe(SCHEMA.enterpriseUser);
    expect(rest).toEqual(expected);
  });

  it("leaves the remembered resource untouched", () => {
    const resource = userResourceFor({ undeclared: "accept", extensions: [declared] });
    describedUserResource(resource, [{ urn: ACME, name: "division" }]);
    expect(resource.extensions[1]?.schema.attributes.map((a) => a.name)).toEqual(["costCenter"]);
  });
});
