import { describe, expect, it } from "vitest";
import { jsonNestingDepth } from "./json-depth";

describe("jsonNestingDepth", () => {
  it.each([
    ["1", 0],
    ['"[[[["', 0],
    ['{"a":[1,{"b":2}]}', 3],
    ['{"a":"\\"[[["}', 1],
    ['["\\\\", [[]]]', 3],
  ])("%s → %i", (text, depth) => {
    expect(jsonNestingDepth(text)).toBe(depth);
  });

  it("scans a hostile 100,000-level body without recursion and stops past the limit", () => {
    const text = "[".repeat(100_000) + "]".repeat(100_000);
    expect(jsonNestingDepth(text)).toBe(100_000);
    expect(jsonNestingDepth(text, 32)).toBe(33);
  });
});
