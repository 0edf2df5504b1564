import { ScimError } from "./errors";
import { isJsonObject } from "./json-object";

export interface JsonLimits {
  /** Deepest object/array nesting; a SCIM resource needs 4 (resource → extension → complex → value). */
  readonly maxDepth: number;
  readonly maxStringLength: number;
  /** Longest array; `members` of a group pushed in one request is the largest legitimate one. */
  readonly maxArrayLength: number;
  /** Total number of values, a cheap cap on work per request. */
  readonly maxNodes: number;
}

export const DEFAULT_JSON_LIMITS: JsonLimits = { maxDepth: 8, maxStringLength: 65_536, maxArrayLength: 10_000, maxNodes: 100_000 };

/**
 * Rejects abusive payloads with a 400 before any work is done on them. Its recursion is bounded:
 * it never descends past `maxDepth`.
 */
export function assertJsonWithinLimits(value: unknown, limits: JsonLimits = DEFAULT_JSON_LIMITS, what = "Request body"): void {
  let nodes = 0;
  const visit = (node: unknown, depth: number, path: string): void => {
    nodes++;
    if (nodes > limits.maxNodes)
      throw ScimError.invalidValue(`${what} has more than ${limits.maxNodes} values; split it into smaller requests`);
    if (typeof node === "string") {
      if (node.length > limits.maxStringLength) {
        throw ScimError.invalidValue(`${what}: ${path || "value"} is longer than ${limits.maxStringLength} characters`);
      }
      return;
    }
    if (typeof node !== "object" || node === null) return;
    if (depth >= limits.maxDepth)
      throw ScimError.invalidValue(`${what}: ${path || "value"} is nested deeper than ${limits.maxDepth} levels`);
    if (Array.isArray(node)) {
      if (node.length > limits.maxArrayLength) {
        throw ScimError.invalidValue(
          `${what}: ${path || "value"} has more than ${limits.maxArrayLength} items; send them in several requests`,
        );
      }
      node.forEach((item, i) => visit(item, depth + 1, `${path}[${i}]`));
      return;
    }
    if (isJsonObject(node)) {
      for (const [key, item] of Object.entries(node)) visit(item, depth + 1, path ? `${path}.${key}` : key);
    }
  };
  visit(value, 0, "");
}
