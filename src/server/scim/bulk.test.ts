import { describe, expect, it } from "vitest";
import {
  type BulkOperationResult,
  assertBulkPayloadSize,
  bulkErrorResult,
  bulkIdReferences,
  bulkResponse,
  parseBulkRequest,
  planBulkExecution,
  resolveBulkIds,
  shouldStopBulk,
} from "./bulk";
import { ScimError } from "./errors";

const BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const bulk = (Operations: unknown[], extra: Record<string, unknown> = {}) => ({ schemas: [BULK], Operations, ...extra });

// RFC 7644 §3.7.2 example: a user and a group referencing it by bulkId.
const rfcExample = bulk(
  [
    { method: "POST", path: "/Users", bulkId: "qwerty", data: { schemas: [USER], userName: "Alice" } },
    {
      method: "POST",
      path: "/Groups",
      bulkId: "ytrewq",
      data: { schemas: [GROUP], displayName: "Tour Guides", members: [{ type: "User", value: "bulkId:qwerty" }] },
    },
  ],
  { failOnErrors: 1 },
);

describe("parseBulkRequest (RFC 7644 §3.7)", () => {
  it("reads the RFC example", () => {
    const request = parseBulkRequest(rfcExample);
    expect(request.failOnErrors).toBe(1);
    expect(request.operations.map((op) => [op.method, op.endpoint, op.id, op.bulkId])).toEqual([
      ["POST", "/Users", undefined, "qwerty"],
      ["POST", "/Groups", undefined, "ytrewq"],
    ]);
  });

  it("reads ids, versions and methods in any case", () => {
    const request = parseBulkRequest(
      bulk([
        { method: "put", path: "/Users/b7c14771", version: 'W/"3"', data: { schemas: [USER], userName: "x" } },
        {
          method: "Patch",
          path: "/groups/bulkId:qwerty",
          data: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [] },
        },
        { method: "DELETE", path: "/Users/a%20b" },
      ]),
    );
    expect(request.operations.map((op) => [op.method, op.endpoint, op.id, op.version])).toEqual([
      ["PUT", "/Users", "b7c14771", 'W/"3"'],
      ["PATCH", "/Groups", "bulkId:qwerty", undefined],
      ["DELETE", "/Users", "a b", undefined],
    ]);
  });

  it.each([
    [
      "too many operations → 413 (RFC 7644 §3.7.4)",
      bulk([
        { method: "DELETE", path: "/Users/1" },
        { method: "DELETE", path: "/Users/2" },
        { method: "DELETE", path: "/Users/3" },
      ]),
      413,
      undefined,
      /maxOperations is 2/,
    ],
    ["wrong schemas", { schemas: [USER], Operations: [] }, 400, "invalidSyntax", /BulkRequest/],
    ["no Operations", { schemas: [BULK] }, 400, "invalidSyntax", /"Operations" array/],
    ["unknown method", bulk([{ method: "GET", path: "/Users/1" }]), 400, "invalidValue", /method must be POST, PUT, PATCH or DELETE/],
    ["unknown endpoint", bulk([{ method: "DELETE", path: "/Things/1" }]), 400, "invalidValue", /must be one of \/Users, \/Groups/],
    ["POST without bulkId", bulk([{ method: "POST", path: "/Users", data: {} }]), 400, "invalidValue", /POST needs a bulkId/],
    ["POST with an id", bulk([{ method: "POST", path: "/Users/1", bulkId: "a", data: {} }]), 400, "invalidValue", /without an id/],
    ["PUT without id", bulk([{ method: "PUT", path: "/Users", data: {} }]), 400, "invalidValue", /must name a resource/],
    ["PATCH without data", bulk([{ method: "PATCH", path: "/Users/1" }]), 400, "invalidValue", /needs "data"/],
    [
      "duplicate bulkIds",
      bulk([
        { method: "POST", path: "/Users", bulkId: "a", data: {} },
        { method: "POST", path: "/Users", bulkId: "a", data: {} },
      ]),
      400,
      "invalidValue",
      /used by more than one/,
    ],
    ["failOnErrors not a positive integer", bulk([], { failOnErrors: 0 }), 400, "invalidValue", /failOnErrors/],
  ])("%s", (_name, body, status, scimType, message) => {
    expect(() => parseBulkRequest(body, { limits: { maxOperations: 2, maxPayloadSize: 1000 } })).toThrow(
      expect.objectContaining({ status, scimType, message: expect.stringMatching(message) }),
    );
  });

  it("payload over maxPayloadSize → 413 tooLarge", () => {
    expect(() => assertBulkPayloadSize(2_000_000)).toThrow(
      expect.objectContaining({ status: 413, message: expect.stringMatching(/maxPayloadSize \(1048576\)/) }),
    );
    expect(() => assertBulkPayloadSize(10)).not.toThrow();
  });
});

describe("bulkId references", () => {
  it("finds references in path and nested data (members, manager)", () => {
    expect(
      bulkIdReferences({
        id: "bulkId:g",
        data: {
          members: [{ value: "bulkId:a" }, { value: "plain" }],
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { manager: { value: "bulkId:b" } },
        },
      }).sort(),
    ).toEqual(["a", "b", "g"]);
  });

  it("resolves references to created ids, leaving other values alone", () => {
    const resolved = new Map([["qwerty", "real-1"]]);
    expect(resolveBulkIds({ members: [{ type: "User", value: "bulkId:qwerty" }, { value: "u2" }], note: "bulkId" }, resolved)).toEqual({
      members: [{ type: "User", value: "real-1" }, { value: "u2" }],
      note: "bulkId",
    });
  });

  it("a reference whose POST failed is 409", () => {
    expect(() => resolveBulkIds({ value: "bulkId:gone" }, new Map())).toThrow(expect.objectContaining({ status: 409 }));
  });
});

describe("planBulkExecution (RFC 7644 §3.7.1)", () => {
  const order = (body: unknown) =>
    planBulkExecution(parseBulkRequest(body)).map((step) => [step.operation.bulkId ?? step.operation.index, step.error?.status]);

  it("keeps request order when nothing depends on later operations", () => {
    expect(order(rfcExample)).toEqual([
      ["qwerty", undefined],
      ["ytrewq", undefined],
    ]);
  });

  it("moves an operation after the POST it references (forward reference)", () => {
    const body = bulk([
      { method: "POST", path: "/Groups", bulkId: "g", data: { displayName: "G", members: [{ value: "bulkId:u" }] } },
      { method: "POST", path: "/Users", bulkId: "u", data: { userName: "u" } },
      { method: "PATCH", path: "/Groups/bulkId:g", data: { Operations: [] } },
    ]);
    expect(order(body)).toEqual([
      ["u", undefined],
      ["g", undefined],
      [2, undefined],
    ]);
  });

  it("an undeclared bulkId is a 400 for that operation only", () => {
    const body = bulk([
      { method: "POST", path: "/Groups", bulkId: "g", data: { members: [{ value: "bulkId:nobody" }] } },
      { method: "POST", path: "/Users", bulkId: "u", data: { userName: "u" } },
    ]);
    const steps = planBulkExecution(parseBulkRequest(body));
    expect(steps.map((step) => [step.operation.bulkId, step.error?.status, step.error?.scimType])).toEqual([
      ["g", 400, "invalidValue"],
      ["u", undefined, undefined],
    ]);
  });

  it("circular references are 409 for the operations caught in them", () => {
    const body = bulk([
      { method: "POST", path: "/Groups", bulkId: "a", data: { members: [{ value: "bulkId:b", type: "Group" }] } },
      { method: "POST", path: "/Groups", bulkId: "b", data: { members: [{ value: "bulkId:a", type: "Group" }] } },
      { method: "POST", path: "/Users", bulkId: "u", data: { userName: "u" } },
    ]);
    expect(order(body)).toEqual([
      ["u", undefined],
      ["a", 409],
      ["b", 409],
    ]);
  });

  it("a self-reference is circular", () => {
    expect(order(bulk([{ method: "POST", path: "/Groups", bulkId: "s", data: { members: [{ value: "bulkId:s" }] } }]))).toEqual([
      ["s", 409],
    ]);
  });
});

describe("BulkResponse", () => {
  it("renders statuses as strings and error bodies (RFC 7644 §3.7.3)", () => {
    const request = parseBulkRequest(rfcExample);
    const [first, second] = request.operations;
    if (!first || !second) throw new Error("fixture");
    const results: BulkOperationResult[] = [
      { method: "POST", bulkId: "qwerty", version: 'W/"1"', location: "https://x/Users/92b7", status: 201 },
      bulkErrorResult(second, ScimError.uniqueness('Group "Tour Guides" already exists')),
    ];
    expect(bulkResponse(results)).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkResponse"],
      Operations: [
        { method: "POST", bulkId: "qwerty", version: 'W/"1"', location: "https://x/Users/92b7", status: "201" },
        {
          method: "POST",
          bulkId: "ytrewq",
          status: "409",
          response: {
            schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
            status: "409",
            scimType: "uniqueness",
            detail: 'Group "Tour Guides" already exists',
          },
        },
      ],
    });
  });

  it("unexpected errors become 500 results, not 404", () => {
    const [first] = parseBulkRequest(rfcExample).operations;
    if (!first) throw new Error("fixture");
    expect(bulkErrorResult(first, new Error("db down")).status).toBe(500);
  });

  it.each([
    [undefined, 5, false],
    [1, 0, false],
    [1, 1, true],
    [2, 1, false],
    [2, 2, true],
  ])("failOnErrors=%s after %s errors → stop %s", (failOnErrors, errors, stop) => {
    expect(shouldStopBulk({ failOnErrors, operations: [] }, errors)).toBe(stop);
  });
});
