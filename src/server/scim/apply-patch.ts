import { matchSchemaUrn } from "./attribute-path";
import { coerceAttributeValue, coerceSingleValue } from "./coerce-value";
import { ScimError } from "./errors";
import { type JsonLimits, DEFAULT_JSON_LIMITS, assertJsonWithinLimits } from "./json-limits";
import { type JsonObject, findKey, getIgnoringCase, isJsonObject, isUnassigned } from "./json-object";
import { matchesElement } from "./matches-filter";
import { type PatchPath, parsePatchPath } from "./parse-path";
import { type ResolvedFilter, resolveValueFilter } from "./resolve-filter";
import {
  type AttributeDef,
  type ResolvedAttribute,
  type ResourceDef,
  SCHEMA,
  declaresExtension,
  describeUnresolved,
  findAttribute,
  findExtension,
  resolveAttribute,
  sameUrn,
} from "./schemas";

export type PatchOpName = "add" | "replace" | "remove";

export interface PatchOperation {
  readonly op: PatchOpName;
  /** undefined: the operation targets the resource itself (a value object of attributes). */
  readonly path: PatchPath | undefined;
  readonly value: unknown;
}

/**
 * Validates a PatchOp body (RFC 7644 §3.5.2). Op names match in any case (Entra sends `Replace`):
 * an unknown op is a 400, never silently dropped with a 200 as other servers did (INTEROP.md).
 */
export function parsePatchRequest(body: unknown, limits: JsonLimits = DEFAULT_JSON_LIMITS): PatchOperation[] {
  assertJsonWithinLimits(body, limits, "PATCH body");
  if (!isJsonObject(body)) throw ScimError.invalidSyntax('PATCH body must be a JSON object with "schemas" and "Operations"');
  const schemas = getIgnoringCase(body, "schemas");
  if (!Array.isArray(schemas) || !schemas.some((urn) => typeof urn === "string" && sameUrn(urn, SCHEMA.patchOp))) {
    throw ScimError.invalidSyntax(`PATCH body "schemas" must be ["${SCHEMA.patchOp}"]`);
  }
  const operations = getIgnoringCase(body, "Operations");
  if (!Array.isArray(operations)) throw ScimError.invalidSyntax('PATCH body needs an "Operations" array (it may be empty)');
  return operations.map((operation, i) => parseOperation(operation, i));
}

function parseOperation(operation: unknown, index: number): PatchOperation {
  const where = `Operations[${index}]`;
  if (!isJsonObject(operation)) throw ScimError.invalidSyntax(`${where} must be an object with "op", optional "path" and "value"`);
  const op = getIgnoringCase(operation, "op");
  if (typeof op !== "string") throw ScimError.invalidSyntax(`${where} has no "op"; use add, replace or remove`);
  const name = op.toLowerCase();
  if (name !== "add" && name !== "replace" && name !== "remove") {
    throw ScimError.invalidSyntax(`${where}: op ${JSON.stringify(op)} is not supported; use add, replace or remove (any case)`);
  }
  const rawPath = getIgnoringCase(operation, "path");
  if (rawPath !== undefined && rawPath !== null && typeof rawPath !== "string") {
    throw ScimError.invalidPath(`${where}: "path" must be a string`);
  }
  const value = getIgnoringCase(operation, "value");
  if (name !== "remove" && value === undefined) {
    throw ScimError.invalidValue(`${where}: ${name} needs a "value"`);
  }
  const path = typeof rawPath === "string" && rawPath.trim() !== "" ? withContext(where, () => parsePatchPath(rawPath)) : undefined;
  if (name === "remove" && !path) {
    throw ScimError.noTarget(`${where}: remove needs a "path" naming what to remove (RFC 7644 §3.5.2.2)`);
  }
  return { op: name, path, value };
}

function withContext<T>(where: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof ScimError) throw new ScimError(error.status, `${where}: ${error.detail}`, error.scimType);
    throw error;
  }
}

/** Parses and applies a PatchOp body; see `applyPatchOperations`. */
export function applyPatch(resource: JsonObject, body: unknown, resourceDef: ResourceDef): JsonObject {
  return applyPatchOperations(resource, parsePatchRequest(body), resourceDef);
}

/**
 * Applies operations in order to a copy of `resource` and returns it; the input is never changed,
 * and any failing operation throws before anything is returned, so PATCH is atomic (RFC 7644 §3.5.2).
 * Validate the result with `normalizeUser` / `normalizeGroup` before storing it.
 *
 * Read-only attributes: `id` may be echoed with its current value (Okta's group rename sends
 * `{id, displayName}`) and is otherwise a 400 mutability; `meta` / `groups` named by an explicit path
 * are a 400 mutability (the client tries to change them and must learn it cannot), while inside a
 * value object they are ignored as echoes. `password` is accepted and dropped: it is never stored.
 */
export function applyPatchOperations(resource: JsonObject, operations: readonly PatchOperation[], resourceDef: ResourceDef): JsonObject {
  const doc = structuredClone(resource);
  operations.forEach((operation, i) => {
    withContext(`Operations[${i}]`, () => {
      if (!operation.path) {
        if (operation.op === "remove") throw ScimError.noTarget('remove needs a "path" naming what to remove (RFC 7644 §3.5.2.2)');
        if (!isJsonObject(operation.value)) {
          throw ScimError.invalidValue(`${operation.op} without "path" needs an object of attributes as "value"`);
        }
        applyValueObject(doc, operation.op, operation.value, resourceDef, "valueObject");
      } else {
        applyAtPath(doc, operation.op, operation.path, operation.value, resourceDef, "path");
      }
    });
  });
  return doc;
}

/** Where a write comes from decides how read-only attributes are treated (see applyPatchOperations). */
export type WriteSource = "path" | "valueObject" | "body";

/**
 * Applies an object of attributes as if each key were a path: keys may be plain names, dotted
 * (`name.givenName`), URN-prefixed (`urn:…:enterprise:2.0:User:manager`) or an extension URN holding
 * an object (Entra's aadOptscim062020 dialect, Okta). Dotted keys are never stored literally.
 */
export function applyValueObject(
  doc: JsonObject,
  op: "add" | "replace",
  value: JsonObject,
  resourceDef: ResourceDef,
  source: WriteSource,
): void {
  for (const [key, item] of Object.entries(value)) {
    if (key.toLowerCase() === "schemas") continue; // computed by the server from the extensions present
    const urn = matchSchemaUrn(key) ?? extensionKey(resourceDef, key, item);
    if (urn !== undefined) {
      if (!isJsonObject(item)) throw ScimError.invalidValue(`${key} must hold an object of attributes`);
      if (sameUrn(urn, resourceDef.schema.id)) {
        applyValueObject(doc, op, item, resourceDef, source);
        continue;
      }
      const extension = findExtension(resourceDef, urn);
      if (!extension) throw ScimError.invalidPath(describeUnresolved(resourceDef, { schema: urn, attribute: "", subAttribute: undefined }));
      for (const [subKey, subItem] of Object.entries(item)) {
        applyAtPath(doc, op, parsePatchPath(`${extension.id}:${subKey}`), subItem, resourceDef, source);
      }
      continue;
    }
    applyAtPath(doc, op, parsePatchPath(key), item, resourceDef, source);
  }
}

/**
 * A value-object key naming a tenant's extension schema (Okta, Entra:
 * `"urn:ietf:params:scim:schemas:extension:acme:2.0:User": {"costCenter": "x"}`): a declared one
 * in any case, or any other URN holding an object whose part before its last colon is no schema
 * this resource knows (`urn:…:enterprise:2.0:User:manager` stays an attribute path). Undefined:
 * the key is an attribute path.
 */
function extensionKey(resourceDef: ResourceDef, key: string, item: unknown): string | undefined {
  const declared = resourceDef.extensions.find((extension) => sameUrn(extension.schema.id, key));
  if (declared) return declared.schema.id;
  if (!isJsonObject(item) || !/^urn:/i.test(key)) return undefined;
  const prefix = key.slice(0, key.lastIndexOf(":"));
  return sameUrn(prefix, resourceDef.schema.id) || declaresExtension(resourceDef, prefix) ? undefined : key;
}

function applyAtPath(
  doc: JsonObject,
  op: PatchOpName,
  path: PatchPath,
  value: unknown,
  resourceDef: ResourceDef,
  source: WriteSource,
): void {
  const resolved = resolveAttribute(resourceDef, path);
  if (!resolved) throw ScimError.invalidPath(describeUnresolved(resourceDef, path));
  const { attribute, subAttribute } = resolved;

  if (!resolved.inExtension && attribute.name === "id") {
    if (source === "body") return;
    if (op !== "remove" && value === doc.id) return;
    throw ScimError.mutability("id is assigned by the server and cannot be changed");
  }
  if (attribute.mutability === "readOnly" || subAttribute?.mutability === "readOnly") {
    if (source !== "path") return;
    const hint = attribute.name === "groups" ? '; change memberships with PATCH /Groups/{id} on "members"' : "";
    throw ScimError.mutability(`${resolved.key} is read-only${hint}`);
  }
  if (attribute.mutability === "writeOnly") return; // password: accepted, never stored

  if (path.filter) {
    applyFiltered(doc, op, resolved, path, value, resourceDef);
  } else if (subAttribute) {
    applySubAttribute(doc, op, resolved, subAttribute, value);
  } else {
    applyWhole(doc, op, resolved, value);
  }
}

/** The object holding the attribute: the resource, or its extension object (created on demand). */
function container(doc: JsonObject, resolved: ResolvedAttribute, create: boolean): JsonObject | undefined {
  if (!resolved.inExtension) return doc;
  const key = findKey(doc, resolved.schema);
  const existing = key === undefined ? undefined : doc[key];
  if (isJsonObject(existing)) {
    if (key !== resolved.schema) renameKey(doc, key as string, resolved.schema);
    return existing;
  }
  if (!create) return undefined;
  const created: JsonObject = {};
  if (key !== undefined) delete doc[key];
  doc[resolved.schema] = created;
  const schemas = doc.schemas;
  if (Array.isArray(schemas) && !schemas.some((urn) => typeof urn === "string" && sameUrn(urn, resolved.schema))) {
    doc.schemas = [...schemas, resolved.schema];
  }
  return created;
}

/** Drops an extension object left empty, and its URN from `schemas`. */
function pruneExtension(doc: JsonObject, resolved: ResolvedAttribute): void {
  if (!resolved.inExtension) return;
  const key = findKey(doc, resolved.schema);
  if (key === undefined || !isJsonObject(doc[key]) || Object.keys(doc[key]).length > 0) return;
  delete doc[key];
  if (Array.isArray(doc.schemas)) doc.schemas = doc.schemas.filter((urn) => typeof urn !== "string" || !sameUrn(urn, resolved.schema));
}

function renameKey(object: JsonObject, from: string, to: string): void {
  const value = object[from];
  delete object[from];
  object[to] = value;
}

/** Reads an attribute by any spelling and re-keys it with the schema spelling. */
function read(object: JsonObject, name: string): unknown {
  const key = findKey(object, name);
  if (key === undefined) return undefined;
  if (key !== name) renameKey(object, key, name);
  return object[name];
}

function write(object: JsonObject, name: string, value: unknown): void {
  const key = findKey(object, name);
  if (key !== undefined) delete object[key];
  if (!isUnassigned(value)) object[name] = value;
}

function assertRemovable(resolved: ResolvedAttribute): void {
  if (resolved.attribute.required) {
    throw ScimError.mutability(`${resolved.key} is required and cannot be removed; replace it with a new value instead`);
  }
}

function applyWhole(doc: JsonObject, op: PatchOpName, resolved: ResolvedAttribute, value: unknown): void {
  const { attribute } = resolved;
  const holder = container(doc, resolved, op !== "remove");
  if (!holder) return;
  const current = read(holder, attribute.name);

  if (op === "remove") {
    if (attribute.multiValued && !isUnassigned(value) && Array.isArray(current)) {
      // A value list names the entries to remove; the rest stays (Entra's members removal shape).
      const doomed = coerceAttributeValue(attribute, value, resolved.key) as unknown[];
      write(
        holder,
        attribute.name,
        current.filter((item) => !doomed.some((gone) => sameEntry(attribute, item, gone))),
      );
    } else {
      assertRemovable(resolved);
      write(holder, attribute.name, undefined);
    }
    pruneExtension(doc, resolved);
    return;
  }

  const coerced = coerceAttributeValue(attribute, value, resolved.key);
  if (attribute.required && (isUnassigned(coerced) || coerced === "")) {
    if (coerced === "") throw ScimError.invalidValue(`${resolved.key} cannot be empty`);
    assertRemovable(resolved);
  }
  if (isUnassigned(coerced)) {
    // RFC 7643 §2.5: replacing with null or [] unassigns; adding nothing changes nothing.
    if (op === "replace") write(holder, attribute.name, undefined);
  } else if (attribute.multiValued) {
    const incoming = coerced as JsonObject[];
    if (op === "replace") {
      write(holder, attribute.name, withSinglePrimary(incoming, incoming));
    } else {
      write(holder, attribute.name, withSinglePrimary(addEntries(attribute, Array.isArray(current) ? current : [], incoming), incoming));
    }
  } else if (attribute.type === "complex" && isJsonObject(coerced)) {
    // RFC 7644 §3.5.2.1 / §3.5.2.3: sub-attributes not given are left unchanged.
    write(holder, attribute.name, { ...(isJsonObject(current) ? current : {}), ...coerced });
  } else {
    write(holder, attribute.name, coerced);
  }
  pruneExtension(doc, resolved);
}

function applySubAttribute(
  doc: JsonObject,
  op: PatchOpName,
  resolved: ResolvedAttribute,
  subAttribute: AttributeDef,
  value: unknown,
): void {
  const { attribute } = resolved;
  const holder = container(doc, resolved, op !== "remove");
  if (!holder) return;
  const current = read(holder, attribute.name);
  const coerced = op === "remove" ? null : coerceSingleValue(subAttribute, value, resolved.key);
  const setSub = (entry: unknown): JsonObject => {
    const next = { ...(isJsonObject(entry) ? entry : {}) };
    write(next, subAttribute.name, coerced);
    return next;
  };

  if (attribute.multiValued) {
    // emails.value without a filter targets every entry (RFC 7644 §3.5.2.3); none yet: create one.
    const entries = Array.isArray(current) ? current : [];
    const updated =
      entries.length === 0 && coerced !== null ? [setSub({})] : entries.map(setSub).filter((entry) => Object.keys(entry).length > 0);
    write(holder, attribute.name, updated);
  } else {
    const updated = setSub(current);
    write(holder, attribute.name, Object.keys(updated).length > 0 ? updated : undefined);
  }
  pruneExtension(doc, resolved);
}

function applyFiltered(
  doc: JsonObject,
  op: PatchOpName,
  resolved: ResolvedAttribute,
  path: PatchPath,
  value: unknown,
  resourceDef: ResourceDef,
): void {
  const { attribute, subAttribute } = resolved;
  const { filter } = resolveValueFilter(path, path.filter as NonNullable<PatchPath["filter"]>, resourceDef);
  const holder = container(doc, resolved, op !== "remove");
  if (!holder) return;
  const current = read(holder, attribute.name);
  const entries = (Array.isArray(current) ? current : []).map((entry) => (isJsonObject(entry) ? entry : {}));
  const matches = entries.map((entry) => matchesElement(entry, filter));

  if (op === "remove") {
    // No match removes nothing: removals are idempotent so a retried PATCH does not fail.
    const kept = subAttribute
      ? entries.map((entry, i) => (matches[i] ? omitKey(entry, subAttribute.name) : entry)).filter((entry) => Object.keys(entry).length > 0)
      : entries.filter((_, i) => !matches[i]);
    write(holder, attribute.name, kept);
    pruneExtension(doc, resolved);
    return;
  }

  const incoming = subAttribute ? coerceSingleValue(subAttribute, value, resolved.key) : coerceSingleValue(attribute, value, resolved.key);
  if (!subAttribute && !isJsonObject(incoming)) throw ScimError.invalidValue(`${resolved.key} needs an object value`);
  const template = templateFromFilter(filter);
  const build = (base: JsonObject): JsonObject => {
    if (!subAttribute) return op === "add" ? { ...base, ...(incoming as JsonObject) } : { ...template, ...(incoming as JsonObject) };
    const next = { ...base };
    write(next, subAttribute.name, incoming);
    return next;
  };

  let updated: JsonObject[];
  if (matches.some(Boolean)) {
    updated = entries.map((entry, i) => (matches[i] ? build(entry) : entry));
  } else {
    // Entra: a filtered add/replace for an entry that does not exist yet (a work email, a mobile
    // phone) creates it with the filter's values instead of failing the whole PATCH.
    if (!template) {
      throw ScimError.noTarget(
        `no ${attribute.name} entry matches the filter, and it cannot be created from it (only "eq" joined by "and" can)`,
      );
    }
    updated = [...entries, build({ ...template })];
  }
  const changed = updated.filter((entry, i) => entry !== entries[i]);
  write(holder, attribute.name, withSinglePrimary(updated, changed));
  pruneExtension(doc, resolved);
}

function omitKey(entry: JsonObject, name: string): JsonObject {
  const next = { ...entry };
  write(next, name, undefined);
  return next;
}

/** `type eq "work" and primary eq true` → `{type: "work", primary: true}`; anything else: undefined. */
function templateFromFilter(filter: ResolvedFilter): JsonObject | undefined {
  if (filter.kind === "and") {
    const left = templateFromFilter(filter.left);
    const right = templateFromFilter(filter.right);
    return left && right ? { ...left, ...right } : undefined;
  }
  if (filter.kind === "compare" && filter.op === "eq" && filter.value !== null && filter.attr.subAttribute) {
    return { [filter.attr.subAttribute.name]: filter.value };
  }
  return undefined;
}

/** Same entry: same `value` (compared per caseExact) when the attribute has one, else equal JSON. */
function sameEntry(attribute: AttributeDef, a: unknown, b: unknown): boolean {
  const valueDef = findAttribute(attribute.subAttributes, "value");
  if (valueDef && isJsonObject(a) && isJsonObject(b)) {
    const left = getIgnoringCase(a, "value");
    const right = getIgnoringCase(b, "value");
    if (typeof left === "string" && typeof right === "string") {
      return valueDef.caseExact ? left === right : left.toLowerCase() === right.toLowerCase();
    }
    return left !== undefined && JSON.stringify(left) === JSON.stringify(right);
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** RFC 7644 §3.5.2.1: adding a value already present changes nothing; same-value entries are merged. */
function addEntries(attribute: AttributeDef, current: unknown[], incoming: JsonObject[]): unknown[] {
  const result = [...current];
  for (const entry of incoming) {
    const index = result.findIndex((existing) => sameEntry(attribute, existing, entry));
    if (index < 0) result.push(entry);
    else result[index] = isJsonObject(result[index]) ? { ...(result[index] as JsonObject), ...entry } : entry;
  }
  return result;
}

/**
 * RFC 7643 §2.4: `primary: true` may appear at most once; the entry just written wins and the
 * others lose the flag.
 */
function withSinglePrimary(entries: unknown[], written: readonly unknown[]): unknown[] {
  const winner =
    [...written].reverse().find((entry) => isJsonObject(entry) && entry.primary === true) ??
    entries.find((entry) => isJsonObject(entry) && entry.primary === true);
  if (winner === undefined) return entries;
  return entries.map((entry) => (entry !== winner && isJsonObject(entry) && entry.primary === true ? { ...entry, primary: false } : entry));
}
