import { describe, expect, it } from "vitest";
import { applyPatchOperations } from "./apply-patch";
import { planGroupPatch } from "./plan-group-patch";
import { GROUP_RESOURCE } from "./schemas";

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

describe("planGroupPatch: membership deltas, never a loaded member list", () => {
  it.each([
    [
      "Okta add",
      [{ op: "add", path: "members", value: [{ value: "u1", display: "a@x" }, { value: "u2" }] }],
      [{ kind: "add", ids: ["u1", "u2"] }],
    ],
    ["Okta remove by filter", [{ op: "remove", path: 'members[value eq "u1"]' }], [{ kind: "remove", ids: ["u1"] }]],
    [
      'remove several by "or"',
      [{ op: "remove", path: 'members[value eq "u1" or value eq "u2"]' }],
      [{ kind: "remove", ids: ["u1", "u2"] }],
    ],
    [
      "Entra default remove with a value list removes only those (never the whole group)",
      [{ op: "Remove", path: "members", value: [{ value: "u1" }] }],
      [{ kind: "remove", ids: ["u1"] }],
    ],
    ["Entra remove with an empty list changes nothing", [{ op: "Remove", path: "members", value: [] }], []],
    ["remove members without value removes all", [{ op: "remove", path: "members" }], [{ kind: "removeAll" }]],
    ["Okta replace members", [{ op: "replace", path: "members", value: [{ value: "u3" }] }], [{ kind: "replace", ids: ["u3"] }]],
    ["Okta replace with an empty array empties the group", [{ op: "replace", path: "members", value: [] }], [{ kind: "replace", ids: [] }]],
    ["Entra Add capitalised", [{ op: "Add", path: "members", value: [{ value: "u1" }] }], [{ kind: "add", ids: ["u1"] }]],
    ["single member object", [{ op: "add", path: "members", value: { value: "u1" } }], [{ kind: "add", ids: ["u1"] }]],
    ["bare ids", [{ op: "add", path: "members", value: ["u1", "u2"] }], [{ kind: "add", ids: ["u1", "u2"] }]],
    ["duplicates collapse", [{ op: "add", path: "members", value: [{ value: "u1" }, { value: "u1" }] }], [{ kind: "add", ids: ["u1"] }]],
    ["member keys in any case", [{ op: "add", path: "MEMBERS", value: [{ VALUE: "u1" }] }], [{ kind: "add", ids: ["u1"] }]],
    [
      "URN-prefixed path",
      [{ op: "add", path: "urn:ietf:params:scim:schemas:core:2.0:Group:members", value: [{ value: "u1" }] }],
      [{ kind: "add", ids: ["u1"] }],
    ],
    ["no-path add with members", [{ op: "add", value: { members: [{ value: "u1" }] } }], [{ kind: "add", ids: ["u1"] }]],
    ["no-path replace with members", [{ op: "replace", value: { members: [] } }], [{ kind: "replace", ids: [] }]],
    [
      "order is kept: remove then add (Okta membership change)",
      [
        { op: "remove", path: 'members[value eq "u1"]' },
        { op: "add", path: "members", value: [{ value: "u2" }] },
      ],
      [
        { kind: "remove", ids: ["u1"] },
        { kind: "add", ids: ["u2"] },
      ],
    ],
  ])("%s", (_name, operations, membership) => {
    const plan = planGroupPatch(patch(...operations));
    expect(plan.membership).toEqual(membership);
    expect(plan.operations).toEqual([]);
  });

  it("a one-member removal never clears the group (INTEROP: bug other servers shipped)", () => {
    for (const shape of [
      { op: "Remove", path: "members", value: [{ value: "u1" }] },
      { op: "remove", path: 'members[value eq "u1"]' },
    ]) {
      const { membership } = planGroupPatch(patch(shape));
      expect(membership).toEqual([{ kind: "remove", ids: ["u1"] }]);
      expect(membership.some((change) => change.kind === "removeAll" || change.kind === "replace")).toBe(false);
    }
  });

  it("Okta rename {id, displayName} with members: attributes and members split", () => {
    const plan = planGroupPatch(patch({ op: "replace", value: { id: "g-1", displayName: "Data 2", members: [{ value: "u9" }] } }));
    expect(plan.membership).toEqual([{ kind: "replace", ids: ["u9"] }]);
    expect(plan.operations).toEqual([{ op: "replace", path: undefined, value: { id: "g-1", displayName: "Data 2" } }]);
    const doc = applyPatchOperations({ id: "g-1", displayName: "Data" }, plan.operations, GROUP_RESOURCE);
    expect(doc).toEqual({ id: "g-1", displayName: "Data 2" });
  });

  it("keeps attribute operations for the document", () => {
    const plan = planGroupPatch(
      patch(
        { op: "Replace", path: "displayName", value: "X" },
        { op: "Add", path: "externalId", value: "e" },
        { op: "Add", path: "members", value: [{ value: "u1" }] },
      ),
    );
    expect(plan.operations.map((operation) => operation.path?.attribute)).toEqual(["displayName", "externalId"]);
    expect(plan.membership).toEqual([{ kind: "add", ids: ["u1"] }]);
  });

  it("an id other than the current one in the rename is a mutability error when applied", () => {
    const plan = planGroupPatch(patch({ op: "replace", value: { id: "other", displayName: "X" } }));
    expect(() => applyPatchOperations({ id: "g-1", displayName: "D" }, plan.operations, GROUP_RESOURCE)).toThrow(
      expect.objectContaining({ scimType: "mutability" }),
    );
  });

  it.each([
    ["a member without value", { op: "add", path: "members", value: [{ display: "x" }] }, "invalidValue", /needs a "value"/],
    ["an empty id", { op: "add", path: "members", value: [{ value: "" }] }, "invalidValue", /needs a "value"/],
    ["filters other than value eq", { op: "remove", path: 'members[display eq "x"]' }, "invalidFilter", /members\[value eq "id"\]/],
    ['"and" in a member filter', { op: "remove", path: 'members[value eq "a" and value eq "b"]' }, "invalidFilter", /selected by id/],
    ["filtered add", { op: "add", path: 'members[value eq "u1"]', value: {} }, "invalidPath", /filtered members path/],
    ["members.value path", { op: "remove", path: "members.value" }, "invalidPath", /members\[value eq/],
    ["unknown op", { op: "delete", path: "members" }, "invalidSyntax", /not supported/],
    ["remove without path", { op: "remove" }, "noTarget", /needs a "path"/],
  ])("rejects %s", (_name, operation, scimType, message) => {
    expect(() => planGroupPatch(patch(operation))).toThrow(
      expect.objectContaining({ status: 400, scimType, message: expect.stringMatching(message) }),
    );
  });
});
