/**
 * From a mapping's flat payload ({ "name.givenName": "Ada", emails: "ada@x", … }) to the SCIM
 * resources and PATCH operations a target receives (RFC 7643 §4, RFC 7644 §3.5.2).
 */
import { SCHEMA, attributePathText, elementPath, type PatchOpRequest } from "../scim";
import { isExtensionAttribute } from "@/lib/mapping-expression";
import type { FlatPayload, FlatValue } from "./mapping/render";

/** Mapping targets of the enterprise extension are written `enterprise.<attribute>`. */
const ENTERPRISE_PREFIX = "enterprise.";

/**
 * The enterprise manager (RFC 7643 §4.3: a complex attribute whose `value` is the manager's id
 * in the service provider). Its mapping row names the directory's manager; the engine sets the
 * manager's id ON THE TARGET, resolved through the profile's links (engine/managers.ts).
 */
export const MANAGER_TARGET = "enterprise.manager";

/** PATCH operation setting (or, with null, clearing) a user's manager to a remote user id. */
export function managerOperation(managerRemoteId: string | null): PatchOpRequest {
  const path = attributePathText("manager", SCHEMA.enterpriseUser);
  return managerRemoteId === null ? { op: "remove", path } : { op: "replace", path, value: { value: managerRemoteId } };
}

function asBoolean(value: FlatValue): boolean {
  if (typeof value === "boolean") return value;
  return typeof value === "string" && ["true", "1", "yes"].includes(value.trim().toLowerCase());
}

function asList(value: FlatValue): string[] {
  if (Array.isArray(value)) return value;
  if (typeof value === "string")
    return value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  return [];
}

/**
 * A mapping target naming an extension attribute by its full path
 * (`urn:ietf:params:scim:schemas:extension:acme:2.0:User:costCenter`): the schema URN is everything
 * before the last colon (attribute names have none; the URN's own dots, as in "2.0", are not paths).
 */
export function extensionTarget(target: string): { schema: string; attribute: string } | undefined {
  if (!isExtensionAttribute(target)) return undefined;
  const colon = target.lastIndexOf(":");
  return { schema: target.slice(0, colon), attribute: target.slice(colon + 1) };
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
  const body: Record<string, unknown> = { schemas: [kind === "user" ? SCHEMA.user : SCHEMA.group] };
  for (const [target, raw] of Object.entries(payload)) {
    // The manager is set by its own stage, to an id on the target (engine/managers.ts).
    if (target === MANAGER_TARGET) continue;
    const value = scimValue(target, raw);
    if (value === null || (Array.isArray(value) && value.length === 0)) continue;
    const extension = target.startsWith(ENTERPRISE_PREFIX)
      ? { schema: SCHEMA.enterpriseUser, attribute: target.slice(ENTERPRISE_PREFIX.length) }
      : extensionTarget(target);
    if (extension) {
      const ext = (body[extension.schema] ??= {}) as Record<string, unknown>;
      ext[extension.attribute] = value;
      if (!(body.schemas as string[]).includes(extension.schema)) (body.schemas as string[]).push(extension.schema);
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

/** The PATCH path of a mapping target: an enterprise attribute under its schema URN (RFC 7644 §3.10). */
function patchPath(target: string): string {
  if (target.startsWith(ENTERPRISE_PREFIX)) return attributePathText(target.slice(ENTERPRISE_PREFIX.length), SCHEMA.enterpriseUser);
  const extension = extensionTarget(target);
  return extension ? attributePathText(extension.attribute, extension.schema) : target;
}

export type AttributeChange = { attribute: string; old: FlatValue; new: FlatValue };

const same = (a: FlatValue | undefined, b: FlatValue | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The attributes whose value differs between what was last pushed and what is desired now. */
export function diffPayload(previous: FlatPayload, next: FlatPayload): AttributeChange[] {
  const keys = new Set([...Object.keys(previous), ...Object.keys(next)]);
  return [...keys]
    .filter((k) => !same(previous[k], next[k]))
    .map((k) => ({ attribute: k, old: previous[k] ?? null, new: next[k] ?? null }));
}

/**
 * PATCH operations for the given changes. Entitlements go as add/remove of the difference
 * (Databricks documents them that way); everything else is a replace, or a remove when emptied.
 */
export function patchOperations(changes: readonly AttributeChange[]): PatchOpRequest[] {
  const ops: PatchOpRequest[] = [];
  for (const change of changes) {
    if (change.attribute === "entitlements") {
      const before = new Set(asList(change.old));
      const after = new Set(asList(change.new));
      const added = [...after].filter((v) => !before.has(v));
      const removed = [...before].filter((v) => !after.has(v));
      if (added.length) ops.push({ op: "add", path: "entitlements", value: added.map((value) => ({ value })) });
      for (const value of removed) ops.push({ op: "remove", path: elementPath("entitlements", value) });
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
