import { type JsonObject, getIgnoringCase, isJsonObject } from "./json-object";
import type { CompareOperator, Filter, FilterValue } from "./parse-filter";
import { type ResolvedFilter, resolveFilter } from "./resolve-filter";
import { type AttributeDef, type ResolvedAttribute, type ResourceDef, leafDef } from "./schemas";

/**
 * In-memory evaluation of a filter against a SCIM resource document, honouring `caseExact`
 * (RFC 7644 §3.4.2.2). Used by the export client and by emulators; the import server filters in
 * SQL (filter-to-sql.ts) with the same semantics, which the tests of both pin down:
 * - absent attributes match nothing, except `ne` and `not (...)`, which match them;
 * - a multi-valued attribute matches when any value matches.
 */
export function matchesFilter(resource: JsonObject, filter: Filter, resourceDef: ResourceDef): boolean {
  return compileFilter(filter, resourceDef)(resource);
}

/** Resolves once and returns a predicate, for filtering many resources with one filter. */
export function compileFilter(filter: Filter, resourceDef: ResourceDef): (resource: JsonObject) => boolean {
  const resolved = resolveFilter(filter, resourceDef);
  return (resource) => evaluate(resolved, resource, undefined);
}

/** Whether one element of a multi-valued attribute satisfies a resolved value filter. */
export function matchesElement(element: JsonObject, filter: ResolvedFilter): boolean {
  return evaluate(filter, {}, element);
}

function evaluate(node: ResolvedFilter, resource: JsonObject, element: JsonObject | undefined): boolean {
  switch (node.kind) {
    case "and":
      return evaluate(node.left, resource, element) && evaluate(node.right, resource, element);
    case "or":
      return evaluate(node.left, resource, element) || evaluate(node.right, resource, element);
    case "not":
      return !evaluate(node.filter, resource, element);
    case "valuePath":
      return attributeValues(resource, node.attr).some((item) => isJsonObject(item) && evaluate(node.filter, resource, item));
    case "present": {
      const values = element ? elementValues(element, node.attr) : attributeValues(resource, node.attr);
      return values.some(hasValue);
    }
    case "compare": {
      const values = element ? elementValues(element, node.attr) : attributeValues(resource, node.attr);
      return compareValues(values, node.op, node.value, leafDef(node.attr));
    }
  }
}

/** Values at a resolved path of a resource, flattened to a list (empty when unassigned). */
function attributeValues(resource: JsonObject, attr: ResolvedAttribute): unknown[] {
  const container = attr.inExtension ? getIgnoringCase(resource, attr.schema) : resource;
  if (!isJsonObject(container)) return [];
  let value = getIgnoringCase(container, attr.attribute.name);
  if (attr.subAttribute) {
    value = isJsonObject(value) ? getIgnoringCase(value, attr.subAttribute.name) : undefined;
  }
  return toList(value);
}

function elementValues(element: JsonObject, attr: ResolvedAttribute): unknown[] {
  return toList(attr.subAttribute ? getIgnoringCase(element, attr.subAttribute.name) : undefined);
}

function toList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.filter((item) => item !== null && item !== undefined) : [value];
}

/** RFC 7644 §3.4.2.2 `pr`: a non-empty value, or a complex value with a non-empty node. */
function hasValue(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === "string") return value !== "";
  if (Array.isArray(value)) return value.some(hasValue);
  if (isJsonObject(value)) return Object.values(value).some(hasValue);
  return true;
}

function compareValues(values: unknown[], op: CompareOperator, expected: FilterValue, def: AttributeDef): boolean {
  if (expected === null) return op === "eq" ? values.length === 0 : values.length > 0;
  if (op === "ne") return !values.some((value) => compareOne(value, "eq", expected, def));
  return values.some((value) => compareOne(value, op, expected, def));
}

function compareOne(actual: unknown, op: CompareOperator, expected: string | number | boolean, def: AttributeDef): boolean {
  switch (def.type) {
    case "boolean": {
      const bool = typeof actual === "string" ? actual.toLowerCase() === "true" : actual;
      return op === "eq" ? bool === expected : bool !== expected;
    }
    case "integer":
    case "decimal": {
      const number = typeof actual === "string" ? Number(actual) : actual;
      if (typeof number !== "number" || Number.isNaN(number)) return false;
      return ordered(Math.sign(number - (expected as number)), op);
    }
    case "dateTime": {
      if (typeof actual !== "string") return false;
      const left = Date.parse(actual);
      if (Number.isNaN(left)) return false;
      return ordered(Math.sign(left - Date.parse(expected as string)), op);
    }
    default: {
      if (typeof actual !== "string") return false;
      const fold = (text: string) => (def.caseExact ? text : text.toLowerCase());
      const left = fold(actual);
      const right = fold(expected as string);
      switch (op) {
        case "co":
          return left.includes(right);
        case "sw":
          return left.startsWith(right);
        case "ew":
          return left.endsWith(right);
        default:
          return ordered(compareText(left, right), op);
      }
    }
  }
}

/** Code-unit order, like PostgreSQL's "C" collation; locale rules would differ per server. */
function compareText(left: string, right: string): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

function ordered(sign: number, op: CompareOperator): boolean {
  switch (op) {
    case "eq":
      return sign === 0;
    case "ne":
      return sign !== 0;
    case "gt":
      return sign > 0;
    case "ge":
      return sign >= 0;
    case "lt":
      return sign < 0;
    case "le":
      return sign <= 0;
    default:
      return false;
  }
}
