import { describe, expect, it } from "vitest";
import { activeOnlyPatch } from "./active-only-patch";
import { parsePatchRequest } from "./apply-patch";

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

const activeOf = (...Operations: unknown[]) => activeOnlyPatch(parsePatchRequest({ schemas: [PATCH_OP], Operations }));

describe("activeOnlyPatch: the PATCHes that only set active", () => {
  it.each([
    ["Okta deactivate: replace, value object", [{ op: "replace", value: { active: false } }], false],
    ["Okta reactivate", [{ op: "replace", value: { active: true } }], true],
    ['Entra default dialect: Replace, path, "False" as a string', [{ op: "Replace", path: "active", value: "False" }], false],
    ['Entra: "True" as a string', [{ op: "Replace", path: "active", value: "True" }], true],
    ["add is replace for a singular attribute (RFC 7644 §3.5.2.1)", [{ op: "add", path: "active", value: false }], false],
    ["path in another case", [{ op: "replace", path: "Active", value: false }], false],
    ["path with the core schema URN", [{ op: "replace", path: `${CORE}:active`, value: false }], false],
    ["value object under the core schema URN (aadOptscim062020)", [{ op: "replace", value: { [CORE]: { active: false } } }], false],
    ["value object with schemas beside active", [{ op: "replace", value: { schemas: [CORE], active: false } }], false],
    [
      "the last of several operations wins",
      [
        { op: "replace", path: "active", value: false },
        { op: "replace", path: "active", value: true },
      ],
      true,
    ],
  ])("%s", (_name, operations, expected) => {
    expect(activeOf(...operations)).toBe(expected);
  });

  it.each([
    ["no operations", []],
    ["another attribute beside active", [{ op: "replace", value: { active: false, displayName: "B" } }]],
    [
      "active and another operation",
      [
        { op: "replace", path: "active", value: false },
        { op: "replace", path: "title", value: "CEO" },
      ],
    ],
    ["remove active (unassigns it: the general path decides)", [{ op: "remove", path: "active" }]],
    ["a value that is not a boolean (the general path answers 400 invalidValue)", [{ op: "replace", path: "active", value: "no" }]],
    ["null", [{ op: "replace", path: "active", value: null }]],
    ["active of an extension schema", [{ op: "replace", path: `${ENTERPRISE}:active`, value: false }]],
    ["a sub-attribute", [{ op: "replace", path: "active.value", value: false }]],
    ["another attribute", [{ op: "replace", path: "title", value: "CEO" }]],
  ])("%s: not an active-only PATCH", (_name, operations) => {
    expect(activeOf(...operations)).toBeUndefined();
  });
});
