import { describe, expect, it } from "vitest";
import { changedFields, pick } from "./changes";

describe("changedFields", () => {
  it("keeps only what changed", () => {
    expect(changedFields({ a: 1, b: ["x"], c: null }, { a: 1, b: ["y"], c: 3 })).toEqual({
      before: { b: ["x"], c: null },
      after: { b: ["y"], c: 3 },
    });
    expect(changedFields({ a: new Date(0) }, { a: new Date(0) })).toEqual({ before: {}, after: {} });
  });

  it("picks the selected fields", () => {
    expect(pick({ a: 1, b: 2, c: 3 }, { a: true, c: true })).toEqual({ a: 1, c: 3 });
  });
});
