import { parseAttributePath } from "./attribute-path";
import { ScimError } from "./errors";
import { type JsonObject, isJsonObject } from "./json-object";
import { type AttributeDef, type ResourceDef, COMMON_ATTRIBUTES, findAttribute, findExtension, resolveAttribute, sameUrn } from "./schemas";

export interface AttributeSelection {
  readonly attributes?: readonly string[];
  readonly excludedAttributes?: readonly string[];
}

/** Per container ('' = core, else extension URN): 'all', or attribute → 'all' | its sub-attributes. */
type Selection = Map<string, "all" | Map<string, "all" | Set<string>>>;

const CORE = "";

/**
 * Applies `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9) to one resource:
 * `id` and `schemas` always stay, `returned: never` attributes (password) never appear,
 * `returned: request` ones only when asked. Paths may name sub-attributes (`name.givenName`,
 * `emails.value`) or carry a schema URN; a bare extension URN selects the whole extension.
 * Unknown names are ignored: they select nothing.
 */
export function projectAttributes(resource: JsonObject, selection: AttributeSelection, resourceDef: ResourceDef): JsonObject {
  const include = selection.attributes?.length ? toSelection(selection.attributes, resourceDef) : undefined;
  const exclude = toSelection(selection.excludedAttributes ?? [], resourceDef);
  const coreDefs = [...COMMON_ATTRIBUTES, ...resourceDef.schema.attributes];
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key.toLowerCase() === "schemas") {
      out[key] = value;
      continue;
    }
    const extension = findExtension(resourceDef, key);
    if (extension) {
      if (!isJsonObject(value)) continue;
      const container = extension.id.toLowerCase();
      const projected: JsonObject = {};
      for (const [subKey, subValue] of Object.entries(value)) {
        const kept = projectAttribute(subValue, subKey, findAttribute(extension.attributes, subKey), container, include, exclude);
        if (kept !== undefined) projected[subKey] = kept;
      }
      if (Object.keys(projected).length > 0) out[key] = projected;
      continue;
    }
    const kept = projectAttribute(value, key, findAttribute(coreDefs, key), CORE, include, exclude);
    if (kept !== undefined) out[key] = kept;
  }
  return out;
}

function lookup(selection: Selection | undefined, container: string, name: string): "all" | Set<string> | undefined {
  const entry = selection?.get(container);
  if (entry === "all") return "all";
  return entry?.get(name);
}

function projectAttribute(
  value: unknown,
  key: string,
  def: AttributeDef | undefined,
  container: string,
  include: Selection | undefined,
  exclude: Selection,
): unknown {
  if (def?.returned === "never") return undefined;
  if (def?.returned === "always") return value;
  const name = (def?.name ?? key).toLowerCase();
  const included = include ? lookup(include, container, name) : "all";
  if (included === undefined || (def?.returned === "request" && !include)) return undefined;
  const excluded = lookup(exclude, container, name);
  if (excluded === "all") return undefined;
  if (included === "all" && excluded === undefined) return stripNever(value, def);
  const keepSub = (subKey: string) => {
    const sub = subKey.toLowerCase();
    const subDef = findAttribute(def?.subAttributes, subKey);
    if (subDef?.returned === "never") return false;
    return (included === "all" || included.has(sub)) && !(excluded instanceof Set && excluded.has(sub));
  };
  const pick = (item: unknown) =>
    isJsonObject(item) ? Object.fromEntries(Object.entries(item).filter(([subKey]) => keepSub(subKey))) : item;
  if (Array.isArray(value)) {
    const items = value.map(pick).filter((item) => !isJsonObject(item) || Object.keys(item).length > 0);
    return items.length > 0 ? items : undefined;
  }
  const picked = pick(value);
  return isJsonObject(picked) && Object.keys(picked).length === 0 ? undefined : picked;
}

function stripNever(value: unknown, def: AttributeDef | undefined): unknown {
  const hidden = def?.subAttributes?.filter((sub) => sub.returned === "never").map((sub) => sub.name.toLowerCase());
  if (!hidden?.length) return value;
  const strip = (item: unknown) =>
    isJsonObject(item) ? Object.fromEntries(Object.entries(item).filter(([k]) => !hidden.includes(k.toLowerCase()))) : item;
  return Array.isArray(value) ? value.map(strip) : strip(value);
}

function toSelection(names: readonly string[], resourceDef: ResourceDef): Selection {
  const selection: Selection = new Map();
  for (const name of names) {
    if (sameUrn(name, resourceDef.schema.id)) {
      selection.set(CORE, "all");
      continue;
    }
    const extension = findExtension(resourceDef, name);
    if (extension) {
      selection.set(extension.id.toLowerCase(), "all");
      continue;
    }
    const path = parseAttributePath(name, (detail) => ScimError.invalidValue(detail));
    const resolved = resolveAttribute(resourceDef, path);
    if (!resolved) continue;
    const container = resolved.inExtension ? resolved.schema.toLowerCase() : CORE;
    let entry = selection.get(container);
    if (entry === "all") continue;
    if (!entry) selection.set(container, (entry = new Map()));
    const attributeName = resolved.attribute.name.toLowerCase();
    const current = entry.get(attributeName);
    if (!resolved.subAttribute) {
      entry.set(attributeName, "all");
    } else if (current !== "all") {
      entry.set(attributeName, new Set([...(current ?? []), resolved.subAttribute.name.toLowerCase()]));
    }
  }
  return selection;
}
