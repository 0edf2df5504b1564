import { describe, expect, it } from "vitest";
import { ScimError, toScimErrorBody, toScimErrorResponse } from "./errors";

const ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error";

describe("ScimError helpers", () => {
  it.each([
    ["notFound", ScimError.notFound("User", "abc"), 404, undefined],
    ['uniqueness (409 always carries scimType: INTEROP "409 without scimType")', ScimError.uniqueness("userName taken"), 409, "uniqueness"],
    ["invalidFilter", ScimError.invalidFilter("x"), 400, "invalidFilter"],
    ["invalidSyntax", ScimError.invalidSyntax("x"), 400, "invalidSyntax"],
    ["invalidPath", ScimError.invalidPath("x"), 400, "invalidPath"],
    ["invalidValue", ScimError.invalidValue("x"), 400, "invalidValue"],
    ["noTarget", ScimError.noTarget("x"), 400, "noTarget"],
    ["mutability", ScimError.mutability("x"), 400, "mutability"],
    ["invalidVers", ScimError.invalidVers("x"), 400, "invalidVers"],
    ["tooMany", ScimError.tooMany("x"), 400, "tooMany"],
    ["sensitive", ScimError.sensitive("x"), 403, "sensitive"],
    ["unauthorized (Okta bad token: 401 with SCIM body)", ScimError.unauthorized(), 401, undefined],
    ["methodNotAllowed (/Schemas are read-only)", ScimError.methodNotAllowed("POST", "/Schemas"), 405, undefined],
    ["preconditionFailed (If-Match, RFC 7644 §3.14)", ScimError.preconditionFailed("x"), 412, undefined],
    ["tooLarge (RFC 7644 §3.7.4 example has no scimType)", ScimError.tooLarge("x"), 413, undefined],
    ["notImplemented (/Me)", ScimError.notImplemented("x"), 501, undefined],
  ])("%s", (_name, error, status, scimType) => {
    expect(error).toBeInstanceOf(Error);
    expect(error.status).toBe(status);
    expect(error.scimType).toBe(scimType);
    const body = toScimErrorBody(error);
    expect(body.schemas).toEqual([ERROR_URN]);
    expect(body.status).toBe(String(status));
    expect(typeof body.status).toBe("string");
    expect("scimType" in body).toBe(scimType !== undefined);
  });

  it("renders the RFC 7644 §3.12 body exactly", () => {
    expect(toScimErrorBody(ScimError.uniqueness('userName "bob" is already taken'))).toEqual({
      schemas: [ERROR_URN],
      status: "409",
      scimType: "uniqueness",
      detail: 'userName "bob" is already taken',
    });
  });

  it("notFound names the resource and id, whatever the id looks like (Okta probes random ids)", () => {
    expect(ScimError.notFound("User", "not-a-uuid").detail).toBe('User "not-a-uuid" not found');
  });

  it("unknown errors become 500, never 404 (INTEROP: database errors reported as 404)", () => {
    const response = toScimErrorResponse(new Error("connection refused to 10.0.0.5"));
    expect(response.status).toBe(500);
    expect(response.body.status).toBe("500");
    expect(response.body.detail).not.toContain("10.0.0.5");
  });

  it("passes ScimErrors through", () => {
    expect(toScimErrorResponse(ScimError.notFound("Group", "g")).status).toBe(404);
  });
});
