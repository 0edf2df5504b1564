import { describe, expect, it } from "vitest";
import { wantsAttribute } from "./list-support";
import { storableBodyJson } from "./provisioning-events";

const storableBody = (value: unknown) => {
  const text = storableBodyJson(value);
  return text === null ? undefined : JSON.parse(text);
};
import { bearerToken } from "./tokens";

describe("storableBody redacts secrets (passwords, tokens) at any depth", () => {
  it.each([
    [
      { userName: "a", password: "p" },
      { userName: "a", password: "[redacted]" },
    ],
    [
      { Operations: [{ op: "replace", value: { password: "p", active: false } }] },
      { Operations: [{ op: "replace", value: { password: "[redacted]", active: false } }] },
    ],
    [
      { access_token: "t", apiSecret: "s", nested: [{ Authorization: "Bearer x" }] },
      { access_token: "[redacted]", apiSecret: "[redacted]", nested: [{ Authorization: "[redacted]" }] },
    ],
    ["plain", "plain"],
    // By attribute path: the value of an operation on the password, any spelling, at any depth (Bulk data).
    [
      { Operations: [{ op: "replace", path: "PassWord", value: "p" }] },
      { Operations: [{ op: "replace", path: "PassWord", value: "[redacted]" }] },
    ],
    [
      { Operations: [{ data: { Operations: [{ path: "urn:ietf:params:scim:schemas:core:2.0:User:password", value: ["p"] }] } }] },
      { Operations: [{ data: { Operations: [{ path: "urn:ietf:params:scim:schemas:core:2.0:User:password", value: "[redacted]" }] } }] },
    ],
    [
      { Operations: [{ op: "replace", path: "title", value: "Engineer" }] },
      { Operations: [{ op: "replace", path: "title", value: "Engineer" }] },
    ],
    [{ filter: 'password eq "p"' }, { filter: 'password eq "[redacted]"' }],
    [{ filter: 'userName eq "passmore@x"' }, { filter: 'userName eq "passmore@x"' }],
  ])("%j", (input, expected) => {
    expect(storableBody(input)).toEqual(expected);
  });
});

describe("storableBody", () => {
  it("stores what PostgreSQL cannot (NUL, lone surrogates) as U+FFFD, and bounds its recursion", () => {
    expect(storableBody({ ["k\u0000"]: "a\ud800" })).toEqual({ "k\ufffd": "a\ufffd" });
    let deep: unknown = "leaf";
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    expect(storableBodyJson(deep)).toContain("[nested too deep]");
  });

  it("keeps small bodies, shortens long lists, truncates the rest", () => {
    expect(storableBody(undefined)).toBeUndefined();
    expect(storableBody({ a: 1 })).toEqual({ a: 1 });
    const page = {
      totalResults: 500,
      Resources: Array.from({ length: 500 }, (_, i) => ({ id: `${i}`, userName: `user${i}@example.com`, padding: "x".repeat(100) })),
    };
    expect(storableBody(page)).toMatchObject({ totalResults: 500, ResourcesOmitted: 490 });
    expect(storableBody({ blob: "x".repeat(100_000) })).toMatchObject({ truncated: true });
  });

  it("shortens nested lists too: a PATCH pushing 100 members keeps 10 and the count", () => {
    const members = Array.from({ length: 100 }, (_, i) => ({ value: `id-${i}` }));
    const stored = storableBody({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "add", path: "members", value: members }],
    });
    expect(stored).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "add", path: "members", value: members.slice(0, 10), valueOmitted: 90 }],
    });
  });

  it("redacts secrets while shortening", () => {
    expect(storableBody({ Operations: Array.from({ length: 12 }, () => ({ value: { password: "p" } })) })).toEqual({
      Operations: Array.from({ length: 10 }, () => ({ value: { password: "[redacted]" } })),
      OperationsOmitted: 2,
    });
  });
});

describe("wantsAttribute (RFC 7644 §3.9)", () => {
  it.each([
    [[], [], true],
    [["userName"], [], false],
    [["groups"], [], true],
    [["groups.display"], [], true],
    [["urn:ietf:params:scim:schemas:core:2.0:User:groups"], [], true],
    [["urn:ietf:params:scim:schemas:core:2.0:User"], [], true],
    [[], ["groups"], false],
    [[], ["emails"], true],
  ])("attributes=%j excluded=%j → %s", (attributes, excludedAttributes, expected) => {
    expect(wantsAttribute({ attributes, excludedAttributes }, "groups")).toBe(expected);
  });
});

describe("bearerToken (RFC 6750 §2.1)", () => {
  it.each([
    ["Bearer abc", "abc"],
    ["bearer   abc ", "abc"],
    ["Basic abc", null],
    ["Bearer", null],
    [null, null],
  ])("%j → %j", (header, expected) => {
    expect(bearerToken(header)).toBe(expected);
  });
});
