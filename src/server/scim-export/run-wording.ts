/**
 * What a run did, in the words the console, the CLI and the run's message use: "3 users created",
 * "18 members added to Data Engineers", "Failed: … No change was made on the target." Pure: the
 * counts and per-group member numbers come in, sentences go out (run-wording.test.ts).
 *
 * A run's counts are kept per operation ("group.members_added.success": one per PATCH of up to 100
 * members), so member numbers come from the operations themselves (MemberChange), not from the counts.
 */
import { plural } from "@/lib/plural";
import type { ExportRunStatus } from "@/generated/prisma/enums";

/** Members put into / taken out of one group by a run; `failed`: operations on its members that failed. */
export type MemberChange = { group: string; added: number; removed: number; failed: number };

export type RunChange = {
  objectType: "user" | "group";
  /** The engine's action (created, updated, members_added…). */
  action: string;
  result: "success" | "skipped" | "error";
  /** "3 users created", "18 members added to Data Engineers", "2 users could not be created". */
  text: string;
};

/** Beyond this many groups, member changes are summed up ("180 members added to 40 groups"). */
const MEMBER_GROUPS_NAMED = 5;

const ORDER = ["created", "matched", "updated", "reactivated", "renamed", "deactivated", "deleted", "skipped", "failed"];
/** The verb of each action, to say what could not be done. */
const VERB: Record<string, string> = {
  created: "created",
  matched: "matched",
  updated: "updated",
  reactivated: "reactivated",
  renamed: "renamed",
  deactivated: "deactivated",
  deleted: "deleted",
};
/** Actions that are not a change on the target (matching only links an existing object). */
const NOT_A_CHANGE = new Set(["matched", "skipped"]);

type Count = { objectType: "user" | "group"; action: string; result: "success" | "skipped" | "error"; n: number };

function parse(counts: Record<string, number>): Count[] {
  return Object.entries(counts)
    .filter(([, n]) => typeof n === "number" && n > 0)
    .map(([key, n]) => {
      const [objectType = "", action = "", result = "success"] = key.split(".");
      return { objectType: objectType as Count["objectType"], action, result: result as Count["result"], n };
    })
    .filter((c) => (c.objectType === "user" || c.objectType === "group") && ["success", "skipped", "error"].includes(c.result));
}

function objectText({ objectType, action, result, n }: Count): string {
  const things = plural(n, objectType);
  const done = action.replace(/_/g, " ");
  if (result === "success") return action === "matched" ? `${things} matched on the target` : `${things} ${done}`;
  if (result === "skipped") return action === "skipped" ? `${things} skipped` : `${things} not ${VERB[action] ?? done} (skipped)`;
  if (action === "failed" || !VERB[action]) return `${things} failed`;
  return `${n === 1 ? `1 ${objectType}` : things} could not be ${VERB[action]}`;
}

function memberTexts(changes: MemberChange[]): RunChange[] {
  const out: RunChange[] = [];
  const named = changes.length <= MEMBER_GROUPS_NAMED;
  const sum = (key: "added" | "removed" | "failed") => changes.reduce((n, c) => n + c[key], 0);
  const groupsWith = (key: "added" | "removed" | "failed") => plural(changes.filter((c) => c[key] > 0).length, "group");
  if (named) {
    for (const c of changes) {
      if (c.added)
        out.push({
          objectType: "group",
          action: "members_added",
          result: "success",
          text: `${plural(c.added, "member")} added to ${c.group}`,
        });
      if (c.removed)
        out.push({
          objectType: "group",
          action: "members_removed",
          result: "success",
          text: `${plural(c.removed, "member")} removed from ${c.group}`,
        });
      if (c.failed)
        out.push({
          objectType: "group",
          action: "members_added",
          result: "error",
          text: `members of ${c.group} not updated: ${plural(c.failed, "error")}`,
        });
    }
    return out;
  }
  if (sum("added"))
    out.push({
      objectType: "group",
      action: "members_added",
      result: "success",
      text: `${plural(sum("added"), "member")} added to ${groupsWith("added")}`,
    });
  if (sum("removed"))
    out.push({
      objectType: "group",
      action: "members_removed",
      result: "success",
      text: `${plural(sum("removed"), "member")} removed from ${groupsWith("removed")}`,
    });
  if (sum("failed"))
    out.push({
      objectType: "group",
      action: "members_added",
      result: "error",
      text: `members of ${groupsWith("failed")} not updated: ${plural(sum("failed"), "error")}`,
    });
  return out;
}

/**
 * The run's changes, one line each: users, then groups, then members per group (summed up past
 * MEMBER_GROUPS_NAMED groups), failures last.
 */
export function describeChanges(counts: Record<string, number>, memberChanges: MemberChange[]): RunChange[] {
  const parsed = parse(counts).filter((c) => c.action !== "members_added" && c.action !== "members_removed");
  const rank = (c: Count) =>
    (c.result === "error" ? 100 : 0) + (c.objectType === "group" ? 10 : 0) + Math.max(0, ORDER.indexOf(c.action)) / 10;
  const objects = parsed
    .sort((a, b) => rank(a) - rank(b))
    .map((c) => ({ objectType: c.objectType, action: c.action, result: c.result, text: objectText(c) }));
  const members = memberTexts(memberChanges);
  return [
    ...objects.filter((c) => c.result !== "error"),
    ...members.filter((c) => c.result !== "error"),
    ...objects.filter((c) => c.result === "error"),
    ...members.filter((c) => c.result === "error"),
  ];
}

/** "3 users created, 1 group created and 18 members added to Data Engineers". */
export function listSentence(parts: string[]): string {
  if (parts.length <= 1) return parts[0] ?? "";
  return `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

const sentence = (text: string) => (text ? `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? "" : "."}` : "");

/** Whether a run changed anything on the target (a match only links; a skip sends nothing). */
function changedTarget(counts: Record<string, number>, memberChanges: MemberChange[]): boolean {
  return (
    parse(counts).some((c) => c.result === "success" && !NOT_A_CHANGE.has(c.action) && !c.action.startsWith("members_")) ||
    memberChanges.some((m) => m.added > 0 || m.removed > 0)
  );
}

export type RunOutcomeInput = {
  status: ExportRunStatus;
  counts: Record<string, number>;
  memberChanges: MemberChange[];
  /** The engine's message: why a run failed, stopped or was skipped, or that nothing needed changing. */
  message: string | null;
};

/**
 * One truthful sentence for a run, shown in the runs list and on top of its detail. Only a run that
 * succeeded may say the target was already up to date; a failed one says why it failed and whether
 * anything reached the target before it stopped. Null while the run goes (its progress shows instead).
 */
export function describeOutcome({ status, counts, memberChanges, message }: RunOutcomeInput): string | null {
  const done = describeChanges(counts, memberChanges).filter((c) => c.result !== "error");
  const errors = parse(counts)
    .filter((c) => c.result === "error")
    .reduce((n, c) => n + c.n, 0);
  const doneText = listSentence(done.map((c) => c.text));
  switch (status) {
    case "QUEUED":
      return "Waiting to start.";
    case "RUNNING":
      return null;
    case "SUCCEEDED":
      return doneText ? sentence(doneText) : (message ?? "Nothing to change: everything was already up to date.");
    case "PARTIAL":
      return `Completed with ${plural(errors, "error")} (see the failed operations below)${doneText ? `; ${doneText}` : ""}.`;
    case "FAILED": {
      const why = message ? sentence(message) : "The run stopped.";
      const reached = changedTarget(counts, memberChanges) ? `Before it stopped: ${doneText}.` : "No change was made on the target.";
      return `Failed: ${why} ${reached}`;
    }
    case "NEEDS_CONFIRMATION":
    case "CANCELLED":
      return message ?? (status === "CANCELLED" ? "Cancelled before it changed anything." : "Waiting for your confirmation.");
    default:
      return message;
  }
}
