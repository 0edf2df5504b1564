import { describe, expect, it } from "vitest";
import { GROUP_RESOURCE, USER_RESOURCE, resolveAttribute } from "./schemas";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const at = (attribute: string, subAttribute?: string, schema?: string) => ({ schema, attribute, subAttribute });

describe("resolveAttribute: canonical names, case-insensitive (RFC 7643 §2.1)", () => {
  it.each([
    [at("username"), "userName", false, "readWrite"],
    [at("NAME", "GIVENNAME"), "name.givenName", false, "readWrite"],
    [at("id"), "id", true, "readOnly"],
    [at("externalId"), "externalId", true, "readWrite"],
    [at("meta", "lastmodified"), "meta.lastModified", false, "readOnly"],
    [at("groups"), "groups", false, "readOnly"],
    [at("emails", "value"), "emails.value", false, "readWrite"],
    [at("employeenumber", undefined, ENTERPRISE), `${ENTERPRISE}:employeeNumber`, false, "readWrite"],
    [at("employeeNumber"), `${ENTERPRISE}:employeeNumber`, false, "readWrite"],
    [at("manager", "value", ENTERPRISE.toUpperCase()), `${ENTERPRISE}:manager.value`, true, "readWrite"],
    [at("userName", undefined, "urn:ietf:params:scim:schemas:core:2.0:User"), "userName", false, "readWrite"],
  ])("%j → %s", (path, key, caseExact, mutability) => {
    const resolved = resolveAttribute(USER_RESOURCE, path);
    expect(resolved?.key).toBe(key);
    expect((resolved?.subAttribute ?? resolved?.attribute)?.caseExact).toBe(caseExact);
    expect((resolved?.subAttribute ?? resolved?.attribute)?.mutability).toBe(mutability);
  });

  it.each([
    [USER_RESOURCE, at("members")],
    [USER_RESOURCE, at("name", "nick")],
    [USER_RESOURCE, at("userName", undefined, "urn:ietf:params:scim:schemas:core:2.0:Group")],
    [GROUP_RESOURCE, at("employeeNumber")],
    [GROUP_RESOURCE, at("userName")],
  ])("%#: unresolved", (resource, path) => {
    expect(resolveAttribute(resource, path)).toBeUndefined();
  });

  it("Group members value is caseExact (ids)", () => {
    expect(resolveAttribute(GROUP_RESOURCE, at("members", "value"))?.subAttribute?.caseExact).toBe(true);
  });
});
