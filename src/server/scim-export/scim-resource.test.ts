import { describe, expect, it } from "vitest";
import { buildResource, diffPayload, extensionTarget, patchOperations } from "./scim-resource";
import { compileMapping } from "./mapping/render";
import { userAttributeTypes, userInput } from "./mapping/source-values";

const ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
import { backoffMs, retryAfterMs } from "./client/scim-client";
import { redact } from "./client/redact";

describe("SCIM payloads", () => {
  it("builds a user resource from the flat mapping", () => {
    expect(
      buildResource("user", {
        userName: "ada@x.io",
        emails: "ada@x.io",
        "name.givenName": "Ada",
        active: true,
        entitlements: ["workspace-access"],
        "enterprise.department": "ENG",
        title: null,
      }),
    ).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE_SCHEMA],
      userName: "ada@x.io",
      emails: [{ value: "ada@x.io", type: "work", primary: true }],
      name: { givenName: "Ada" },
      active: true,
      entitlements: [{ value: "workspace-access" }],
      [ENTERPRISE_SCHEMA]: { department: "ENG" },
    });
  });

  it("patches only what changed; entitlements by difference; emptied attributes are removed", () => {
    const changes = diffPayload(
      { displayName: "A", title: "x", entitlements: ["a", "b"], active: true },
      { displayName: "B", title: null, entitlements: ["b", "c"], active: true },
    );
    expect(patchOperations(changes)).toEqual([
      { op: "replace", path: "displayName", value: "B" },
      { op: "remove", path: "title" },
      { op: "add", path: "entitlements", value: [{ value: "c" }] },
      { op: "remove", path: 'entitlements[value eq "a"]' },
    ]);
  });
});

describe("client helpers", () => {
  it.each([
    ["5", 5000],
    ["0", 0],
    [undefined, null],
    ["soon", null],
  ])("Retry-After %s → %s ms", (header, ms) => {
    expect(retryAfterMs(header)).toBe(ms);
  });
  it("backs off exponentially with jitter, capped", () => {
    expect(backoffMs(0, 500, 30_000, () => 0)).toBe(250);
    expect(backoffMs(3, 500, 30_000, () => 1)).toBe(4000);
    expect(backoffMs(20, 500, 30_000, () => 1)).toBe(30_000);
  });
  it("redacts tokens", () => {
    expect(redact({ Authorization: "Bearer abc", nested: { text: "token dapi123456 here" } }, ["dapi123456"])).toEqual({
      Authorization: "[redacted]",
      nested: { text: "token [redacted] here" },
    });
  });
});

describe("custom extension attributes (Okta's, Entra's custom attributes) on export", () => {
  const ACME = "urn:ietf:params:scim:schemas:extension:acme:2.0:User";
  const HR = "urn:okta:hr:1.0:user:custom";

  it("a URN target goes under its whole schema URN, never cut at the URN's own dots (2.0)", () => {
    const body = buildResource("user", { userName: "u", [`${ACME}:costCenter`]: "CC-1", [`${HR}:badge`]: "7" });
    expect(body).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ACME, HR],
      userName: "u",
      [ACME]: { costCenter: "CC-1" },
      [HR]: { badge: "7" },
    });
    expect(extensionTarget(`${ACME}:costCenter`)).toEqual({ schema: ACME, attribute: "costCenter" });
    expect(extensionTarget("name.givenName")).toBeUndefined();
  });

  it("a changed URN target is a replace on its full path, an emptied one a remove", () => {
    const ops = patchOperations(
      diffPayload(
        { [`${ACME}:costCenter`]: "CC-1", [`${ACME}:region`]: "EU" },
        { [`${ACME}:costCenter`]: "CC-2", [`${ACME}:region`]: null },
      ),
    );
    expect(ops).toEqual([
      { op: "replace", path: `${ACME}:costCenter`, value: "CC-2" },
      { op: "remove", path: `${ACME}:region` },
    ]);
  });

  it("mapping sources: extension attributes SCIM Import kept in extra, by URN path in any case", () => {
    const { rows, problems } = compileMapping(
      [
        { target: "title", kind: "attribute", value: `${ACME}:costCenter`, apply: "always", defaultValue: "" },
        {
          target: "nickName",
          kind: "expression",
          value: `ToUpper([${ACME.toUpperCase().replace("URN:", "urn:")}:COSTCENTER])`,
          apply: "always",
          defaultValue: "",
        },
        {
          target: "userType",
          kind: "expression",
          value: `IIF([${ACME}:isContractor], "Contractor", "Employee")`,
          apply: "always",
          defaultValue: "",
        },
      ],
      userAttributeTypes,
    );
    expect(problems).toEqual([]);
    const input = userInput({
      id: "1",
      userName: "u",
      active: true,
      phoneNumbers: [],
      extra: { [ACME]: { costCenter: "cc-9", isContractor: true }, ims: [] },
    } as unknown as Parameters<typeof userInput>[0]);
    expect(rows.map((row) => row.evaluate(input))).toEqual(["cc-9", "CC-9", "Contractor"]);
  });
});
