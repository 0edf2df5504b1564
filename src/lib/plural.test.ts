import { describe, expect, it } from "vitest";
import { plural } from "./plural";

describe("plural", () => {
  it.each([
    [0, "member", "0 members"],
    [1, "member", "1 member"],
    [2, "member", "2 members"],
    [1, "user", "1 user"],
    [18, "user", "18 users"],
    [10_000, "user", "10,000 users"],
  ])("%i %s → %s", (n, noun, expected) => {
    expect(plural(n, noun)).toBe(expected);
  });

  it("takes an irregular plural", () => {
    expect(plural(1, "entry", "entries")).toBe("1 entry");
    expect(plural(3, "entry", "entries")).toBe("3 entries");
  });
});
