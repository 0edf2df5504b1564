import { describe, expect, it } from "vitest";
import { containsPattern, escapeLike } from "./search-pattern";
import { isUuid } from "./ids";
import { deriveUserColumns, primaryEmail, withPrimaryEmail } from "./user-fields";
import { changedFields, fieldsOf } from "./user-data";

describe("primaryEmail", () => {
  it.each([
    [[], null],
    [[{ value: "A@x.test" }], "a@x.test"],
    [[{ value: "a@x.test" }, { value: "B@x.test", primary: true }], "b@x.test"],
    [[{ value: "  " }, { value: "c@x.test" }], "c@x.test"],
    [undefined, null],
  ])("%j → %s", (emails, expected) => {
    expect(primaryEmail(emails)).toBe(expected);
  });
});

describe("deriveUserColumns", () => {
  it("lower-cases the key and builds the search text from the parts present", () => {
    expect(
      deriveUserColumns({
        userName: "JSmith",
        displayName: " John Smith ",
        givenName: null,
        familyName: "Smith",
        emails: [{ value: "J@X.test" }],
      }),
    ).toEqual({
      userNameKey: "jsmith",
      email: "j@x.test",
      searchText: "jsmith john smith smith j@x.test",
    });
    expect(deriveUserColumns({ userName: "solo" })).toEqual({ userNameKey: "solo", email: null, searchText: "solo" });
  });
});

describe("withPrimaryEmail", () => {
  const emails = [
    { value: "old@x.test", type: "work", primary: true },
    { value: "home@x.test", type: "home" },
  ];
  it("replaces the primary and keeps the others", () => {
    expect(withPrimaryEmail(emails, "new@x.test")).toEqual([
      { value: "new@x.test", type: "work", primary: true },
      { value: "home@x.test", type: "home", primary: false },
    ]);
  });
  it("promotes an existing secondary address without duplicating it", () => {
    expect(withPrimaryEmail(emails, "HOME@x.test")).toEqual([{ value: "HOME@x.test", type: "work", primary: true }]);
  });
  it("removes the primary for an empty value", () => {
    expect(withPrimaryEmail(emails, null)).toEqual([{ value: "home@x.test", type: "home", primary: false }]);
  });
  it("adds a work email when there was none", () => {
    expect(withPrimaryEmail([], "a@x.test")).toEqual([{ value: "a@x.test", type: "work", primary: true }]);
  });
});

describe("search patterns", () => {
  it("escapes LIKE wildcards and the escape character", () => {
    expect(escapeLike("100%_a\\b")).toBe("100\\%\\_a\\\\b");
    expect(containsPattern("  Ann ")).toBe("%ann%");
  });
});

describe("isUuid", () => {
  it("accepts UUIDs in any case and nothing else", () => {
    expect(isUuid("0b9f4a3e-2d1c-4e5f-8a7b-6c5d4e3f2a1b")).toBe(true);
    expect(isUuid("0B9F4A3E-2D1C-4E5F-8A7B-6C5D4E3F2A1B")).toBe(true);
    expect(isUuid("0b9f4a3e-2d1c-4e5f-8a7b-6c5d4e3f2a1")).toBe(false);
    expect(isUuid("'; drop table x; --")).toBe(false);
  });
});

describe("changedFields", () => {
  it("keeps only values that differ, comparing arrays by content", () => {
    const current = fieldsOf({ userName: "a", emails: [{ value: "a@x.test" }], active: true } as never);
    expect(changedFields(current, { userName: "a", emails: [{ value: "a@x.test" }], active: false, title: undefined })).toEqual({
      active: false,
    });
  });
});
