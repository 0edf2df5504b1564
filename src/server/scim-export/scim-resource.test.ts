import { describe, expect, it } from "vitest";
import { buildResource, diffPayload, patchOperations } from "./scim-resource";

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
