import { type PatchOperation, parsePatchRequest } from "./apply-patch";
import { ScimError } from "./errors";
import { type JsonObject, getIgnoringCase, isJsonObject } from "./json-object";
import type { Filter } from "./parse-filter";
import { parsePatchPath } from "./parse-path";
import { GROUP_RESOURCE, resolveAttribute } from "./schemas";

/** One membership delta, applied in order by the caller inside its transaction. */
type MembershipChange =
  | { readonly kind: "add"; readonly ids: readonly string[] }
  | { readonly kind: "remove"; readonly ids: readonly string[] }
  | { readonly kind: "removeAll" }
  /** Members become exactly `ids`; an empty list empties the group (Okta). */
  | { readonly kind: "replace"; readonly ids: readonly string[] };

export interface GroupPatchPlan {
  /** Operations for the group document without members: apply with `applyPatchOperations`. */
  readonly operations: readonly PatchOperation[];
  readonly membership: readonly MembershipChange[];
}

/**
 * Splits a Group PatchOp into attribute operations and membership deltas, so a group of any size
 * is patched without loading its member list. Shapes handled:
 * - `add` path `members` with `[{value}]` (Okta, Entra, Databricks);
 * - `remove` path `members[value eq "id"]` (Okta, Entra aadOptscim062020), `or`-joined ids too;
 * - `remove` path `members` with `[{value}]`: removes only those (Entra default). It never clears
 *   the group: that bug of other servers wiped whole groups (INTEROP.md);
 * - `remove` path `members` without value: removes all; `replace` `members`: sets the list;
 * - no-path `add`/`replace` whose value holds `members` and/or attributes (Okta's `{id, displayName}`).
 */
export function planGroupPatch(body: unknown): GroupPatchPlan {
  const operations: PatchOperation[] = [];
  const membership: MembershipChange[] = [];
  parsePatchRequest(body).forEach((operation, i) => {
    const where = `Operations[${i}]`;
    if (!operation.path) {
      const value = operation.value as JsonObject;
      const attributes: JsonObject = {};
      for (const [key, item] of Object.entries(value)) {
        if (isMembersKey(key)) {
          const ids = memberIds(item, where);
          membership.push(operation.op === "replace" ? { kind: "replace", ids } : { kind: "add", ids });
        } else {
          attributes[key] = item;
        }
      }
      if (Object.keys(attributes).length > 0) operations.push({ ...operation, value: attributes });
      return;
    }
    const resolved = resolveAttribute(GROUP_RESOURCE, operation.path);
    if (resolved?.attribute.name !== "members") {
      operations.push(operation);
      return;
    }
    const { filter, subAttribute } = operation.path;
    if (subAttribute !== undefined) {
      throw ScimError.invalidPath(
        `${where}: change memberships with path "members" or "members[value eq \\"id\\"]", not members…${subAttribute}`,
      );
    }
    if (filter) {
      if (operation.op !== "remove") {
        throw ScimError.invalidPath(
          `${where}: ${operation.op} on a filtered members path is not supported; use ${operation.op} with path "members" and a value list`,
        );
      }
      membership.push({ kind: "remove", ids: idsFromFilter(filter, where) });
      return;
    }
    const noValue = operation.value === undefined || operation.value === null;
    switch (operation.op) {
      case "add":
        membership.push({ kind: "add", ids: memberIds(operation.value, where) });
        return;
      case "replace":
        membership.push({ kind: "replace", ids: noValue ? [] : memberIds(operation.value, where) });
        return;
      case "remove": {
        if (noValue) {
          membership.push({ kind: "removeAll" });
          return;
        }
        const ids = memberIds(operation.value, where);
        if (ids.length > 0) membership.push({ kind: "remove", ids });
        return;
      }
    }
  });
  return { operations, membership };
}

export function isMembersKey(key: string): boolean {
  if (key.includes("[") || key.includes(".")) {
    const path = parsePatchPath(key);
    return (
      resolveAttribute(GROUP_RESOURCE, path)?.attribute.name === "members" && path.filter === undefined && path.subAttribute === undefined
    );
  }
  return resolveAttribute(GROUP_RESOURCE, { schema: undefined, attribute: key, subAttribute: undefined })?.attribute.name === "members";
}

/** `[{value: "id"}, …]`, a single `{value}` or bare id strings → unique ids, in order. */
export function memberIds(value: unknown, where: string): string[] {
  const items = Array.isArray(value) ? value : [value];
  const ids = items.map((item, i) => {
    const id = isJsonObject(item) ? getIgnoringCase(item, "value") : item;
    if (typeof id !== "string" || id.trim() === "") {
      throw ScimError.invalidValue(`${where}: members[${i}] needs a "value" holding the member's id, e.g. {"value": "2819c223"}`);
    }
    return id;
  });
  return [...new Set(ids)];
}

/** `value eq "a"`, or several joined by `or`. Anything else cannot be applied as a delta. */
function idsFromFilter(filter: Filter, where: string): string[] {
  const unsupported = () =>
    ScimError.invalidFilter(`${where}: members can only be selected by id: members[value eq "id"] (several joined with "or")`);
  const collect = (node: Filter): string[] => {
    if (node.kind === "or") return [...collect(node.left), ...collect(node.right)];
    if (node.kind === "compare" && node.op === "eq" && node.path.attribute.toLowerCase() === "value" && typeof node.value === "string") {
      return [node.value];
    }
    throw unsupported();
  };
  return [...new Set(collect(filter))];
}
