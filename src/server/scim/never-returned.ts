import type { Filter } from "./parse-filter";
import { type AttributeDef, type AttributePathLike, RESOURCES, resolveAttribute } from "./schemas";

/**
 * Attributes a client writes and the service never shows (RFC 7643 §7, `returned: "never"`, e.g.
 * the User's `password`). Whatever records a request (provisioning events) must not show them
 * either: these helpers find them by attribute path, not by spelling, so `PASSWORD` and
 * `urn:ietf:params:scim:schemas:core:2.0:User:password` are the same attribute.
 */
const neverReturned = (def: AttributeDef | undefined) => def?.returned === "never" || def?.mutability === "writeOnly";

/** Whether the path names a never-returned attribute (or a sub-attribute of one) of a User or a Group. */
export function isNeverReturned(path: AttributePathLike): boolean {
  return RESOURCES.some((resource) => {
    const resolved = resolveAttribute(resource, path);
    return resolved !== undefined && (neverReturned(resolved.attribute) || neverReturned(resolved.subAttribute));
  });
}

/**
 * The names of every never-returned attribute and sub-attribute: a text in which none of them
 * occurs (in any letter case) cannot name one, and needs no parsing.
 */
const NEVER_RETURNED_NAMES: readonly string[] = [
  ...new Set(
    RESOURCES.flatMap((resource) => [resource.schema, ...resource.extensions.map((extension) => extension.schema)])
      .flatMap((schema) => schema.attributes.flatMap((def) => [def, ...(def.subAttributes ?? [])]))
      .filter(neverReturned)
      .map((def) => def.name),
  ),
];

const NAMES_PATTERN = new RegExp(NEVER_RETURNED_NAMES.map((name) => name.replace(/[^A-Za-z0-9]/g, "\\$&")).join("|") || "(?!)", "i");

/** Cheap test before parsing: false means `text` cannot name a never-returned attribute. */
export function mayNameNeverReturned(text: string): boolean {
  return NAMES_PATTERN.test(text);
}

/**
 * The filter with the value of every comparison on an attribute `isSecret` accepts replaced by
 * `replacement`; undefined when there is none (then the client's text can be kept as written).
 * Inside `attr[…]`, paths are relative: `emails[value eq "x"]` asks about `emails.value`.
 * Recursion is bounded by the filter's depth, which parseFilter limits.
 */
export function redactFilter(
  filter: Filter,
  isSecret: (path: AttributePathLike) => boolean = isNeverReturned,
  replacement = "[redacted]",
): Filter | undefined {
  let found = false;
  const visit = (node: Filter, parent: AttributePathLike | undefined): Filter => {
    switch (node.kind) {
      case "compare": {
        const path = parent ? { schema: parent.schema, attribute: parent.attribute, subAttribute: node.path.attribute } : node.path;
        if (!(isSecret(path) || (parent !== undefined && isSecret(parent)))) return node;
        found = true;
        return { ...node, value: replacement };
      }
      case "present":
        return node;
      case "and":
      case "or":
        return { kind: node.kind, left: visit(node.left, parent), right: visit(node.right, parent) };
      case "not":
        return { kind: "not", filter: visit(node.filter, parent) };
      case "valuePath":
        return { kind: "valuePath", path: node.path, filter: visit(node.filter, node.path) };
    }
  };
  const redacted = visit(filter, undefined);
  return found ? redacted : undefined;
}
