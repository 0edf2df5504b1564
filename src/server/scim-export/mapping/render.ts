import type { MappingRow } from "@/lib/validation/scim-export";
import {
  evaluateExpression,
  extensionAttributeKey,
  ExpressionError,
  isExtensionAttribute,
  parseExpression,
  type ExpressionInput,
  type ExpressionNode,
  type ExpressionValue,
  type ValueType,
} from "@/lib/mapping-expression";

/** A value as it goes to the target, keyed by target attribute ("name.givenName", "emails"…). */
export type FlatValue = string | boolean | string[] | null;
export type FlatPayload = Record<string, FlatValue>;

export type CompiledRow = {
  target: string;
  apply: MappingRow["apply"];
  evaluate: (input: ExpressionInput) => ExpressionValue;
  defaultValue: string;
};

export type MappingProblem = { index: number; field: "value" | "target"; message: string; position?: number };

/** Parses every row once (the planner compiles a mapping per run, not per user). */
export function compileMapping(
  rows: readonly MappingRow[],
  attributeTypes: Readonly<Record<string, ValueType>>,
): { rows: CompiledRow[]; problems: MappingProblem[] } {
  const compiled: CompiledRow[] = [];
  const problems: MappingProblem[] = [];
  rows.forEach((row, index) => {
    let evaluate: CompiledRow["evaluate"];
    if (row.kind === "constant") {
      const value = row.value;
      evaluate = () => value;
    } else if (row.kind === "attribute" && isExtensionAttribute(row.value.trim())) {
      const key = extensionAttributeKey(row.value.trim());
      evaluate = (input) => input[key] ?? null;
    } else if (row.kind === "attribute") {
      const name = Object.keys(attributeTypes).find((a) => a.toLowerCase() === row.value.trim().toLowerCase());
      if (!name) {
        problems.push({ index, field: "value", message: `Unknown directory attribute "${row.value}".` });
        return;
      }
      evaluate = (input) => input[name] ?? null;
    } else {
      let node: ExpressionNode;
      try {
        node = parseExpression(row.value, attributeTypes);
      } catch (error) {
        if (error instanceof ExpressionError) {
          problems.push({
            index,
            field: "value",
            message: `${error.message} (at character ${error.position + 1})`,
            position: error.position,
          });
          return;
        }
        throw error;
      }
      evaluate = (input) => evaluateExpression(node, input);
    }
    compiled.push({ target: row.target, apply: row.apply, evaluate, defaultValue: row.defaultValue });
  });
  return { rows: compiled, problems };
}

const isEmpty = (v: ExpressionValue) => v === null || v === "" || (Array.isArray(v) && v.length === 0);

function normalise(value: ExpressionValue): FlatValue {
  if (typeof value === "number") return String(value);
  return value;
}

/**
 * The payload for one object: `always` holds rows applied on every sync (hashed and compared),
 * `createOnly` the rows applied only when the object is created.
 */
export function renderMapping(rows: readonly CompiledRow[], input: ExpressionInput): { always: FlatPayload; createOnly: FlatPayload } {
  const always: FlatPayload = {};
  const createOnly: FlatPayload = {};
  for (const row of rows) {
    let value = row.evaluate(input);
    if (isEmpty(value) && row.defaultValue !== "") value = row.defaultValue;
    (row.apply === "create" ? createOnly : always)[row.target] = normalise(isEmpty(value) ? null : value);
  }
  return { always, createOnly };
}
