/**
 * Drift: the target no longer holds what this profile pushed, because someone else changed it
 * there (deleted a user, renamed it, handed its id to another user, changed members). The engine
 * compares what it READ on the target with what it last pushed (ExportLink.payload) and with the
 * rendered payload; this module holds the comparisons, the identity rules and the marks a full
 * reconcile's read leaves on links for the stages after it.
 */
import { Prisma } from "@/generated/prisma/client";
import type { ScimResource } from "../client/scim-client";
import type { FlatPayload, FlatValue } from "../mapping/render";
import { SCHEMA } from "../../scim";
import { extensionTarget, type AttributeChange } from "../scim-resource";
import { flattenRemote } from "./remote";

/**
 * A remote user is the one a link remembers when it has the userName last pushed (compared
 * without case, as Databricks and most targets do), or the externalId last pushed. Anything else
 * at that id is another user, who is never written to.
 */
export function isSameUser(remote: ScimResource, remembered: { userName: string; externalId?: FlatValue }): boolean {
  if (typeof remote.userName === "string" && remote.userName.toLowerCase() === remembered.userName.toLowerCase()) return true;
  return typeof remembered.externalId === "string" && remembered.externalId !== "" && remote.externalId === remembered.externalId;
}

/**
 * A remote group is the one a link remembers when both carry an externalId and it is the same;
 * otherwise when it has the displayName last pushed. Databricks groups have no externalId by
 * default, so a group renamed there counts as another group: ours is created again by name and
 * the renamed one is left alone (we cannot tell a rename from an id handed to a new group).
 */
export function isSameGroup(remote: ScimResource, remembered: { displayName: string; externalId?: FlatValue }): boolean {
  if (typeof remote.externalId === "string" && remote.externalId && typeof remembered.externalId === "string" && remembered.externalId) {
    return remote.externalId === remembered.externalId;
  }
  return typeof remote.displayName === "string" && remote.displayName.toLowerCase() === remembered.displayName.toLowerCase();
}

/** Whether the remote resource carries the attribute at all (an absent attribute cannot be compared). */
function carries(resource: ScimResource, target: string): boolean {
  if (target.startsWith("enterprise."))
    return (resource[SCHEMA.enterpriseUser] as Record<string, unknown> | undefined)?.[target.slice(11)] !== undefined;
  const extension = extensionTarget(target);
  if (extension) return (resource[extension.schema] as Record<string, unknown> | undefined)?.[extension.attribute] !== undefined;
  if (target.includes(".")) {
    const [a, b] = target.split(".", 2) as [string, string];
    return (resource[a] as Record<string, unknown> | undefined)?.[b] !== undefined;
  }
  return resource[target] !== undefined;
}

/** Values compared as the target keeps them: lists in any order. */
export function sameValue(a: FlatValue | undefined, b: FlatValue | undefined): boolean {
  const norm = (v: FlatValue | undefined) => (Array.isArray(v) ? JSON.stringify([...v].sort()) : JSON.stringify(v ?? null));
  return norm(a) === norm(b);
}

/**
 * What the target holds against what was pushed: the attributes whose remote value differs
 * (value as read), and the remote values of attributes never pushed (a mapping row added since).
 * Attributes the target does not return are not compared: some targets accept an attribute
 * without ever returning it (Jackson's group reads omit externalId), so a missing one proves
 * nothing. `ignore` holds attributes the target cannot change (Databricks: userName, emails).
 */
export function readBack(
  resource: ScimResource,
  pushed: FlatPayload,
  desiredKeys: readonly string[],
  ignore: ReadonlySet<string>,
): { previous: FlatPayload; drifted: FlatPayload } {
  const keys = [...new Set([...Object.keys(pushed), ...desiredKeys])].filter((k) => !ignore.has(k) && carries(resource, k));
  const remote = flattenRemote(resource, keys);
  const drifted: FlatPayload = {};
  const previous: FlatPayload = { ...pushed };
  for (const key of keys) {
    if (key in pushed && sameValue(remote[key], pushed[key])) continue;
    previous[key] = remote[key] ?? null;
    if (key in pushed) drifted[key] = remote[key] ?? null;
  }
  return { previous, drifted };
}

/**
 * A full reconcile reads every user first (read-target.ts) and records what it found on the link,
 * in place of the payload hash, for the users and leavers stages that come after it (separate
 * steps, possibly another process): the mark makes the hash differ from any rendered payload,
 * so the user is looked at, and says why. Any write of the link replaces it.
 *   missing — the remembered id is gone and the user is nowhere else on the target;
 *   other   — the remembered id now holds another user (`holder`), who is left alone;
 *   drift   — ours, but these attributes differ from what was pushed (values as read); `movedFrom`
 *             when it was found under another id than the remembered one.
 */
export type TargetMark =
  { kind: "missing" } | { kind: "other"; holder: string } | { kind: "drift"; values: FlatPayload; movedFrom?: string };

const MARK_PREFIX = "target:";

export function markHash(mark: TargetMark): string {
  return MARK_PREFIX + JSON.stringify(mark);
}

export function readMark(hash: string): TargetMark | null {
  return hash.startsWith(MARK_PREFIX) ? (JSON.parse(hash.slice(MARK_PREFIX.length)) as TargetMark) : null;
}

/** Whether a link is marked gone: its remote id must not be used (no member adds, no PATCH). */
export const isGone = (hash: string) => {
  const mark = readMark(hash);
  return mark?.kind === "missing" || mark?.kind === "other";
};

/** The same test in SQL, on the ExportLink row aliased `l`: true for links whose remote id may be used. */
export const notGoneSql = notGoneSqlOf("l");

/** notGoneSql on the ExportLink row aliased `alias` (a fixed identifier of the caller's query, never input). */
export function notGoneSqlOf(alias: "l" | "ml"): Prisma.Sql {
  return Prisma.raw(`NOT (${alias}.hash LIKE '${MARK_PREFIX}{"kind":"missing"%' OR ${alias}.hash LIKE '${MARK_PREFIX}{"kind":"other"%')`);
}

/** Why a user or group is created again, for the run's operations. */
export function recreatedReason(
  kind: "user" | "group",
  rememberedId: string,
  found: { kind: "missing" } | { kind: "other"; holder: string },
): string {
  return found.kind === "missing"
    ? "re-created: missing on the target"
    : `re-created: the remembered id ${rememberedId} now holds another ${kind} (${found.holder}), which is left alone`;
}

const listOf = (names: string[]) => (names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`);

/**
 * The reason of an update that repairs drift: "reset: displayName was changed on the target",
 * plus what changed in the directory at the same time. Null when nothing drifted.
 */
export function repairReason(changes: readonly AttributeChange[], drifted: ReadonlySet<string>): string | null {
  const reset = changes.filter((c) => drifted.has(c.attribute)).map((c) => c.attribute);
  if (reset.length === 0) return null;
  const updated = changes.filter((c) => !drifted.has(c.attribute)).map((c) => c.attribute);
  const base = `reset: ${listOf(reset)} ${reset.length === 1 ? "was" : "were"} changed on the target`;
  return updated.length ? `${base}; updated from the directory: ${listOf(updated)}` : base;
}
