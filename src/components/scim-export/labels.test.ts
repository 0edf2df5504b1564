import { describe, expect, it } from "vitest";
import { noOperationsText, runTitle } from "./labels";

describe("noOperationsText", () => {
  it("says 'up to date' only for a run that succeeded", () => {
    expect(noOperationsText("SUCCEEDED")).toMatch(/up to date/);
    for (const status of ["FAILED", "PARTIAL", "RUNNING", "QUEUED", "NEEDS_CONFIRMATION", "CANCELLED"]) {
      expect(noOperationsText(status)).not.toMatch(/up to date/);
    }
    expect(noOperationsText("FAILED")).toMatch(/failed before it changed anything/);
  });
});

describe("runTitle", () => {
  it("names the user of a single-user provision", () => {
    expect(runTitle({ trigger: "ON_DEMAND", subject: "alice@example.com" })).toBe("Provision on demand: alice@example.com");
    expect(runTitle({ trigger: "MANUAL", subject: null })).toBe("Sync (manual)");
  });
});
