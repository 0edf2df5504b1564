/**
 * From a mapping's flat payload ({ "name.givenName": "Ada", emails: "ada@x", … }) to the SCIM
 * resources and PATCH operations a target receives (RFC 7643 §4, RFC 7644 §3.5.2).
 */
import type { FlatPayload, FlatValue } from "./mapping/render";

export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export type PatchOp = { op: "add" | "remove" | "replace"; path?: string; value?: unknown };

function asBoolean(value: FlatValue): boolean {
  if (typeof value === "boolean") return value;
  return typeof value === "string" && ["true", "1", "yes"].includes(value.trim().toLowerCase());
}

function asList(value: FlatValue): string[] {
  if (Array.isArray(value)) return value;
  if (typeof value === "string") return value.split(",").map((s) => s.trim()).filter(Boolean);
  return [];
}

/** The SCIM value of one target attribute. */
function scimValue(target: string, value: FlatValue): unknown {
  if (value === null) return null;
  switch (target) {
    case "active":
      return asBoolean(value);
    case "emails":
      return [{ value: String(value), type: "work", primary: true }];
    case "phoneNumbers":
      return [{ value: String(value), type: "work" }];
    case "entitlements":
      return asList(value).map((v) => ({ value: v }));
    default:
      return Array.isArray(value) ? value.join(",") : value;
  }
}

/** A full resource body for POST (empty attributes left out). */
export function buildResource(kind: "user" | "group", payload: FlatPayload): Record<string, unknown> {
  const body: Record<string, unknown> = { schemas: [kind === "user" ? USER_SCHEMA : GROUP_SCHEMA] };
  for (const [target, raw] of Object.entries(payload)) {
    const value = scimValue(target, raw);
    if (value === null || (Array.isArray(value) && value.length === 0)) continue;
    if (target.startsWith("enterprise.")) {
      const ext = (body[ENTERPRISE_SCHEMA] ??= {}) as Record<string, unknown>;
      ext[target.slice("enterprise.".length)] = value;
      if (!(body.schemas as string[]).includes(ENTERPRISE_SCHEMA)) (body.schemas as string[]).push(ENTERPRISE_SCHEMA);
    } else if (target.includes(".")) {
      const [parent, child] = target.split(".", 2) as [string, string];
      const nested = (body[parent] ??= {}) as Record<string, unknown>;
      nested[child] = value;
    } else {
      body[target] = value;
    }
  }
  return body;
}

function patchPath(target: string): string {
  return target.startsWith("enterprise.") ? `${ENTERPRISE_SCHEMA}:${target.slice("enterprise.".length)}` : target;
}

export type AttributeChange = { attribute: string; old: FlatValue; new: FlatValue };

const same = (a: FlatValue | undefined, b: FlatValue | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The attributes whose value differs between what was last pushed and what is desired now. */
export function diffPayload(previous: FlatPayload, next: FlatPayload): AttributeChange[] {
  const keys = new Set([...Object.keys(previous), ...Object.keys(next)]);
  return [...keys].filter((k) => !same(previous[k], next[k])).map((k) => ({ attribute: k, old: previous[k] ?? null, new: next[k] ?? null }));
}

/**
 * PATCH operations for the given changes. Entitlements go as add/remove of the difference
 * (Databricks documents them that way); everything else is a replace, or a remove when emptied.
 */
export function patchOperations(changes: readonly AttributeChange[]): PatchOp[] {
  const ops: PatchOp[] = [];
  for (const change of changes) {
    if (change.attribute === "entitlements") {
      const before = new Set(asList(change.old));
      const after = new Set(asList(change.new));
      const added = [...after].filter((v) => !before.has(v));
      const removed = [...before].filter((v) => !after.has(v));
      if (added.length) ops.push({ op: "add", path: "entitlements", value: added.map((value) => ({ value })) });
      for (const value of removed) ops.push({ op: "remove", path: `entitlements[value eq ${JSON.stringify(value)}]` });
      continue;
    }
    const value = scimValue(change.attribute, change.new);
    if (value === null) ops.push({ op: "remove", path: patchPath(change.attribute) });
    else ops.push({ op: "replace", path: patchPath(change.attribute), value });
  }
  return ops;
}

/** Canonical JSON (sorted keys) for hashing payloads. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}
