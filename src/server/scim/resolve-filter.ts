import { type AttributePath, formatAttributePath } from "./attribute-path";
import { isDateTime } from "./coerce-value";
import { ScimError } from "./errors";
import type { CompareOperator, Filter, FilterValue } from "./parse-filter";
import {
  type AttributeDef,
  type ResolvedAttribute,
  type ResourceDef,
  describeUnresolved,
  leafDef,
  resolveAttribute,
  withSubAttribute,
  withoutSubAttribute,
} from "./schemas";

/**
 * A filter checked against a resource's schemas: every path resolved to its definition, values
 * coerced to the attribute's type. Comparisons on a multi-valued complex attribute are always
 * wrapped in `valuePath`, so evaluators have exactly two contexts: the resource, or one element.
 * Inside `valuePath.filter`, `attr.subAttribute` names the element's sub-attribute.
 */
export type ResolvedFilter =
  | { readonly kind: "compare"; readonly attr: ResolvedAttribute; readonly op: CompareOperator; readonly value: FilterValue }
  | { readonly kind: "present"; readonly attr: ResolvedAttribute }
  | { readonly kind: "and" | "or"; readonly left: ResolvedFilter; readonly right: ResolvedFilter }
  | { readonly kind: "not"; readonly filter: ResolvedFilter }
  | { readonly kind: "valuePath"; readonly attr: ResolvedAttribute; readonly filter: ResolvedFilter };

const SUBSTRING: readonly CompareOperator[] = ["co", "sw", "ew"];

/**
 * Resolves `filter` for `resource`. Unknown attributes are a 400 invalidFilter rather than a
 * false predicate: RFC 7644 §3.12 defines invalidFilter as "the specified attribute and filter
 * comparison combination is not supported", and an empty result would make a provisioning client
 * believe the user does not exist and create a duplicate (INTEROP.md).
 */
export function resolveFilter(filter: Filter, resource: ResourceDef): ResolvedFilter {
  return resolveNode(filter, resource, undefined);
}

/**
 * Resolves the filter of a PATCH value path (`emails[type eq "work"]`) to element predicates.
 * Returns the parent attribute and the filter relative to one element.
 */
export function resolveValueFilter(
  path: AttributePath,
  filter: Filter,
  resource: ResourceDef,
): { attr: ResolvedAttribute; filter: ResolvedFilter } {
  const attr = resolvePath(resource, { ...path, subAttribute: undefined });
  if (attr.attribute.type !== "complex" || !attr.attribute.multiValued) {
    throw ScimError.invalidPath(`A "[...]" filter selects values of a multi-valued attribute; ${attr.key} is not one`);
  }
  return { attr, filter: resolveNode(filter, resource, attr) };
}

function resolveNode(node: Filter, resource: ResourceDef, parent: ResolvedAttribute | undefined): ResolvedFilter {
  switch (node.kind) {
    case "and":
    case "or":
      return { kind: node.kind, left: resolveNode(node.left, resource, parent), right: resolveNode(node.right, resource, parent) };
    case "not":
      return { kind: "not", filter: resolveNode(node.filter, resource, parent) };
    case "valuePath": {
      const attr = resolvePath(resource, node.path);
      if (attr.attribute.type !== "complex" || attr.subAttribute) {
        throw ScimError.invalidFilter(`"[...]" applies to complex attributes; ${attr.key} is not one`);
      }
      const inner = resolveNode(node.filter, resource, attr);
      // name[givenName eq "x"] on a singular complex attribute is just name.givenName eq "x".
      return attr.attribute.multiValued ? { kind: "valuePath", attr, filter: inner } : inner;
    }
    case "compare":
    case "present": {
      const attr = parent
        ? resolvePath(resource, {
            schema: parent.inExtension ? parent.schema : undefined,
            attribute: parent.attribute.name,
            subAttribute: node.path.attribute,
          })
        : resolvePath(resource, node.path);
      const leaf =
        node.kind === "present"
          ? ({ kind: "present", attr } as const)
          : ({ kind: "compare", attr, op: node.op, value: node.value } as const);
      return parent ? checkLeaf(leaf) : normalizeTopLevel(leaf);
    }
  }
}

function resolvePath(resource: ResourceDef, path: AttributePath): ResolvedAttribute {
  const resolved = resolveAttribute(resource, path);
  if (!resolved) {
    throw ScimError.invalidFilter(`Cannot filter on ${formatAttributePath(path)}: ${describeUnresolved(resource, path)}`);
  }
  return resolved;
}

type Leaf = Extract<ResolvedFilter, { kind: "compare" | "present" }>;

function normalizeTopLevel(leaf: Leaf): ResolvedFilter {
  const { attribute, subAttribute } = leaf.attr;
  if (attribute.type === "complex" && attribute.multiValued) {
    if (subAttribute) {
      return { kind: "valuePath", attr: withoutSubAttribute(leaf.attr), filter: checkLeaf(leaf) };
    }
    if (leaf.kind === "present") return leaf;
    // emails co "@x": a multi-valued complex attribute compared without sub-attribute means its "value".
    const value = attribute.subAttributes?.find((sub) => sub.name === "value");
    if (!value) {
      throw ScimError.invalidFilter(
        `${leaf.attr.key} is complex; compare one of its sub-attributes, e.g. ${leaf.attr.key}.${attribute.subAttributes?.[0]?.name ?? "value"}`,
      );
    }
    return { kind: "valuePath", attr: leaf.attr, filter: checkLeaf({ ...leaf, attr: withSubAttribute(leaf.attr, value) }) };
  }
  if (attribute.type === "complex" && !subAttribute && leaf.kind === "compare") {
    throw ScimError.invalidFilter(
      `${leaf.attr.key} is complex; compare one of its sub-attributes, e.g. ${leaf.attr.key}.${attribute.subAttributes?.[0]?.name ?? "value"}`,
    );
  }
  return checkLeaf(leaf);
}

function checkLeaf(leaf: Leaf): Leaf {
  if (leaf.kind === "present") return leaf;
  return { ...leaf, value: coerceFilterValue(leafDef(leaf.attr), leaf.attr.key, leaf.op, leaf.value) };
}

/** Checks operator and value against the attribute type (RFC 7644 §3.4.2.2 operator table). */
function coerceFilterValue(def: AttributeDef, key: string, op: CompareOperator, value: FilterValue): FilterValue {
  const unsupported = () => ScimError.invalidFilter(`The operator "${op}" is not supported on ${key} (type ${def.type})`);
  if (value === null) {
    if (op !== "eq" && op !== "ne") throw ScimError.invalidFilter(`null can only be compared with eq or ne (${key} ${op} null)`);
    return null;
  }
  switch (def.type) {
    case "complex":
      throw ScimError.invalidFilter(`${key} is complex; compare one of its sub-attributes`);
    case "boolean": {
      // RFC 7644 §3.4.2.2: ordering on booleans SHALL fail with invalidFilter.
      if (op !== "eq" && op !== "ne") throw unsupported();
      if (typeof value === "boolean") return value;
      if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
      throw ScimError.invalidFilter(`${key} is boolean; compare it with true or false`);
    }
    case "binary":
      if (op !== "eq" && op !== "ne") throw unsupported();
      if (typeof value !== "string") throw ScimError.invalidFilter(`${key} is binary; compare it with a base64 "string"`);
      return value;
    case "dateTime": {
      if (SUBSTRING.includes(op)) throw unsupported();
      if (typeof value !== "string" || !isDateTime(value)) {
        throw ScimError.invalidFilter(`${key} is a dateTime; compare it with an xsd:dateTime string such as "2024-01-31T12:00:00Z"`);
      }
      return value;
    }
    case "integer":
    case "decimal":
      if (SUBSTRING.includes(op)) throw unsupported();
      if (typeof value !== "number" || (def.type === "integer" && !Number.isInteger(value))) {
        throw ScimError.invalidFilter(
          `${key} is ${def.type === "integer" ? "an integer" : "a number"}; compare it with an unquoted number`,
        );
      }
      return value;
    case "string":
    case "reference":
      if (typeof value !== "string") {
        throw ScimError.invalidFilter(`${key} is a string; quote the value: ${key} ${op} "${String(value)}"`);
      }
      return value;
  }
}
