import { describe, expect, it } from "vitest";
import { UsageError } from "./command";
import { parseSince } from "./since";

const now = new Date("2026-12-07T12:00:00Z");

describe("parseSince", () => {
  it.each([
    ["7d", "2026-11-30T12:00:00.000Z"],
    ["12h", "2026-12-07T00:00:00.000Z"],
    ["30m", "2026-12-07T11:30:00.000Z"],
    ["2026-12-01", "2026-12-01T00:00:00.000Z"],
    ["2026-12-01T08:00Z", "2026-12-01T08:00:00.000Z"],
  ])("%s", (text, expected) => {
    expect(parseSince(text, now).toISOString()).toBe(expected);
  });

  it.each(["yesterday", "7 days", "2026-13-45", ""])("refuses %j", (text) => {
    expect(() => parseSince(text, now)).toThrow(UsageError);
  });
});
