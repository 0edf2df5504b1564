import { describe, expect, it } from "vitest";
import { describeChanges, describeOutcome, listSentence, type MemberChange } from "./run-wording";

const texts = (counts: Record<string, number>, members: MemberChange[] = []) => describeChanges(counts, members).map((c) => c.text);
const group = (name: string, added = 0, removed = 0, failed = 0): MemberChange => ({ group: name, added, removed, failed });

describe("describeChanges: counts say what happened", () => {
  it.each([
    [{ "user.created.success": 1 }, ["1 user created"]],
    [{ "user.created.success": 3 }, ["3 users created"]],
    [{ "user.matched.success": 2 }, ["2 users matched on the target"]],
    [{ "user.skipped.skipped": 1 }, ["1 user skipped"]],
    [{ "user.deactivated.skipped": 2 }, ["2 users not deactivated (skipped)"]],
    [{ "user.created.error": 1 }, ["1 user could not be created"]],
    [{ "user.updated.error": 4 }, ["4 users could not be updated"]],
    [{ "user.failed.error": 2 }, ["2 users failed"]],
    [{ "group.created.success": 1, "group.renamed.success": 2 }, ["1 group created", "2 groups renamed"]],
  ])("%j → %j", (counts, expected) => {
    expect(texts(counts)).toEqual(expected);
  });

  it("members are counted per group from the operations, not per PATCH", () => {
    // One PATCH added 18 members: the counts hold 1 operation, the member changes 18 members.
    expect(texts({ "group.members_added.success": 1 }, [group("Data Engineers", 18)])).toEqual(["18 members added to Data Engineers"]);
    expect(texts({ "group.members_removed.success": 1 }, [group("Finance", 0, 1)])).toEqual(["1 member removed from Finance"]);
    expect(texts({}, [group("Data", 2, 1)])).toEqual(["2 members added to Data", "1 member removed from Data"]);
    expect(texts({ "group.members_added.error": 1 }, [group("Data", 0, 0, 1)])).toEqual(["members of Data not updated: 1 error"]);
  });

  it("past five groups, member changes are summed up", () => {
    const many = Array.from({ length: 40 }, (_, i) => group(`G${i}`, 3, i === 0 ? 2 : 0));
    expect(texts({}, many)).toEqual(["120 members added to 40 groups", "2 members removed from 1 group"]);
  });

  it("orders users, groups, members, then failures", () => {
    const counts = { "group.created.success": 1, "user.created.error": 1, "user.updated.success": 2, "user.created.success": 3 };
    expect(texts(counts, [group("Data", 18)])).toEqual([
      "3 users created",
      "2 users updated",
      "1 group created",
      "18 members added to Data",
      "1 user could not be created",
    ]);
  });
});

describe("describeOutcome: a run's one sentence is truthful", () => {
  const failedMessage = "The Secret Token was refused (401). Generate a new token and save it on the Configuration tab.";

  it("only a run that succeeded may say nothing needed changing", () => {
    expect(
      describeOutcome({
        status: "SUCCEEDED",
        counts: {},
        memberChanges: [],
        message: "Nothing to change: the target already matches the directory.",
      }),
    ).toBe("Nothing to change: the target already matches the directory.");
    expect(describeOutcome({ status: "SUCCEEDED", counts: {}, memberChanges: [], message: null })).toBe(
      "Nothing to change: everything was already up to date.",
    );
  });

  it("a failed run says why and that nothing reached the target — never 'up to date'", () => {
    const outcome = describeOutcome({ status: "FAILED", counts: {}, memberChanges: [], message: failedMessage });
    expect(outcome).toBe(`Failed: ${failedMessage} No change was made on the target.`);
    expect(outcome).not.toMatch(/up to date|nothing to change/i);
  });

  it("a failed run that got some changes through says which", () => {
    expect(
      describeOutcome({
        status: "FAILED",
        counts: { "user.created.success": 3, "user.created.error": 1 },
        memberChanges: [],
        message: "The target is unavailable.",
      }),
    ).toBe("Failed: The target is unavailable. Before it stopped: 3 users created.");
  });

  it("a failed run that only matched users made no change", () => {
    expect(describeOutcome({ status: "FAILED", counts: { "user.matched.success": 2 }, memberChanges: [], message: "Stopped" })).toBe(
      "Failed: Stopped. No change was made on the target.",
    );
  });

  it("a run with errors counts them and says what it did", () => {
    expect(
      describeOutcome({
        status: "PARTIAL",
        counts: { "user.created.success": 1, "user.updated.error": 2 },
        memberChanges: [group("Data", 1)],
        message: null,
      }),
    ).toBe("Completed with 2 errors (see the failed operations below); 1 user created and 1 member added to Data.");
    expect(describeOutcome({ status: "PARTIAL", counts: { "user.updated.error": 1 }, memberChanges: [], message: null })).toBe(
      "Completed with 1 error (see the failed operations below).",
    );
  });

  it("a run that succeeded with changes lists them", () => {
    expect(
      describeOutcome({
        status: "SUCCEEDED",
        counts: { "user.created.success": 18, "group.created.success": 1, "group.members_added.success": 1 },
        memberChanges: [group("Data Engineers", 18)],
        message: "ignored",
      }),
    ).toBe("18 users created, 1 group created and 18 members added to Data Engineers.");
  });

  it("a live run has no sentence (its progress shows); a queued one waits; a stopped one says why", () => {
    expect(describeOutcome({ status: "RUNNING", counts: {}, memberChanges: [], message: null })).toBeNull();
    expect(describeOutcome({ status: "QUEUED", counts: {}, memberChanges: [], message: null })).toBe("Waiting to start.");
    expect(describeOutcome({ status: "CANCELLED", counts: {}, memberChanges: [], message: "Skipped: the profile is disabled." })).toBe(
      "Skipped: the profile is disabled.",
    );
  });
});

describe("listSentence", () => {
  it.each([
    [[], ""],
    [["a"], "a"],
    [["a", "b"], "a and b"],
    [["a", "b", "c"], "a, b and c"],
  ])("%j → %s", (parts, expected) => expect(listSentence(parts)).toBe(expected));
});
