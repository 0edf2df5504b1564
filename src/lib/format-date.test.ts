import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatTimestamp } from "./format-date";

// Built from local parts so the expectations hold in whatever time zone the tests run.
const moment = new Date(2026, 11, 7, 18, 48, 4);

describe("format-date", () => {
  it("writes the day with an English month name", () => {
    expect(formatDate(moment)).toBe("Dec 7, 2026");
  });

  it("adds the time to the minute for things that happened or will", () => {
    expect(formatDateTime(moment)).toMatch(/^Dec 7, 2026, 6:48\sPM$/);
  });

  it("adds the second for log rows", () => {
    expect(formatTimestamp(moment)).toMatch(/^Dec 7, 2026, 6:48:04\sPM$/);
  });

  it("accepts the ISO strings and epoch numbers tRPC and JSON hand over", () => {
    expect(formatDateTime(moment.toISOString())).toBe(formatDateTime(moment));
    expect(formatTimestamp(moment.getTime())).toBe(formatTimestamp(moment));
  });

  it.each([null, undefined, "", "not a date"])("writes a dash for a missing or unreadable value (%s)", (value) => {
    expect(formatDate(value)).toBe("—");
    expect(formatDateTime(value)).toBe("—");
    expect(formatTimestamp(value)).toBe("—");
  });
});
