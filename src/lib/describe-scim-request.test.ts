import { describe, expect, it } from "vitest";
import { describeScimRequest, scimErrorDetail, scimRequestSentence } from "./describe-scim-request";

const base = "/api/scim/v2/acme";
const sentence = (method: string, path: string, requestBody: unknown = null, resourceName: string | null = null) =>
  scimRequestSentence(describeScimRequest({ method, path: `${base}${path}`, requestBody, resourceName }));

describe("describeScimRequest", () => {
  it.each([
    ["POST", "/Users", { userName: "alice@acme.test", password: "[redacted]" }, null, "create user alice@acme.test"],
    ["PUT", "/Users/42", { userName: "bob" }, null, "replace user bob"],
    ["DELETE", "/Users/42", null, null, "delete user 42"],
    ["DELETE", "/Users/42", null, "carol", "delete user carol"],
    ["GET", "/Users/42", null, null, "look up user 42"],
    ["GET", "/Users?filter=userName%20eq%20%22dan%22", null, null, 'look up users userName eq "dan"'],
    ["GET", "/Users", null, null, "list users"],
    ["POST", "/Groups", { displayName: "Data Engineers", members: [] }, null, "create group Data Engineers"],
    ["DELETE", "/Groups/g1", null, null, "delete group g1"],
    ["POST", "/Bulk", { Operations: [{}, {}], OperationsOmitted: 3 }, null, "bulk request 5 operations"],
    ["GET", "/ServiceProviderConfig", null, null, "read ServiceProviderConfig"],
    ["POST", "/Nope", {}, null, "POST /Nope"],
  ])("%s %s reads as a phrase", (method, path, body, name, expected) => {
    expect(sentence(method, path, body, name)).toBe(expected);
  });

  it("tells deactivation and reactivation apart in Okta's and Entra's PATCH shapes", () => {
    expect(sentence("PATCH", "/Users/1", { Operations: [{ op: "replace", value: { active: false } }] })).toBe("deactivate user 1");
    expect(sentence("PATCH", "/Users/1", { Operations: [{ op: "Replace", path: "active", value: "False" }] })).toBe("deactivate user 1");
    expect(sentence("PATCH", "/Users/1", { Operations: [{ op: "Replace", path: "active", value: "True" }] })).toBe("reactivate user 1");
    expect(sentence("PATCH", "/Users/1", { Operations: [{ op: "Replace", path: "name.givenName", value: "Al" }] }, "al")).toBe(
      "update user al",
    );
  });

  it("says what a group PATCH did to the members or the name", () => {
    const patch = (...Operations: unknown[]) => sentence("PATCH", "/Groups/g1", { Operations }, "Data");
    expect(patch({ op: "add", path: "members", value: [{ value: "u1" }] })).toBe("add members to group Data");
    expect(patch({ op: "remove", path: 'members[value eq "u1"]' })).toBe("remove members from group Data");
    expect(patch({ op: "add", path: "members", value: [] }, { op: "remove", path: "members" })).toBe("change members of group Data");
    expect(patch({ op: "replace", path: "displayName", value: "Data 2" })).toBe("rename group Data");
    expect(patch({ op: "replace", value: { externalId: "x" } })).toBe("update group Data");
  });

  it("never shows a redacted value as the subject, and copes with a stored preview", () => {
    expect(sentence("POST", "/Users", { userName: "[redacted]" })).toBe("create user");
    expect(sentence("POST", "/Users", { truncated: true, sizeChars: 40_000, preview: "{" })).toBe("create user");
    expect(sentence("POST", "/Users", "not an object")).toBe("create user");
  });

  it("reads the path with its query, and paths outside the SCIM base as they are", () => {
    expect(describeScimRequest({ method: "get", path: "/Users/a%2Fb?attributes=userName", requestBody: null })).toEqual({
      action: "look up user",
      resourceType: "User",
      subject: "a/b",
    });
  });
});

describe("scimErrorDetail", () => {
  it("puts the scimType before the detail", () => {
    const body = {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "409",
      scimType: "uniqueness",
      detail: 'A user with the userName "alice" already exists.',
    };
    expect(scimErrorDetail(body)).toBe('uniqueness: A user with the userName "alice" already exists.');
  });

  it("is the detail alone without a scimType, and nothing for a body that is no SCIM error", () => {
    expect(scimErrorDetail({ status: "404", detail: "User 1 not found" })).toBe("User 1 not found");
    expect(scimErrorDetail({ detail: "[redacted]" })).toBeNull();
    expect(scimErrorDetail(null)).toBeNull();
  });
});
