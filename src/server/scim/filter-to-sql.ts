import { type AttributePath, formatAttributePath, parseAttributePath } from "./attribute-path";
import { ScimError } from "./errors";
import type { CompareOperator, Filter, FilterValue } from "./parse-filter";
import { type ResolvedFilter, resolveFilter } from "./resolve-filter";
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
import { Sql, join, raw, sql } from "./sql";

/**
 * Where one SCIM attribute is stored. `column` is trusted SQL text from code (e.g. `"u"."userName"`),
 * never request input.
 * - `text`: a text column; `lowerColumn` names a column holding lower(value) (an indexed key for
 *   case-insensitive attributes such as userName) used by eq/ne/sw/co/ew/ordering. `keyOf`, when
 *   the stored key is more than lower case (userName: trimmed, NFKC, then lower case), computes
 *   the compared value's key the same way, here, instead of PostgreSQL's lower().
 * - `uuid`: a uuid column; a non-UUID comparison value matches nothing instead of failing the cast
 *   (Okta probes with arbitrary ids).
 * - `boolean`, `timestamp` (timestamptz): native columns.
 * - `jsonValue`: a scalar inside a jsonb document at `path` (compared as text).
 * - `jsonArray`: a jsonb array of objects (multi-valued complex: emails, phoneNumbers…) in `column`,
 *   or at `path` inside it. Must hold an array or SQL NULL.
 * - `custom`: the caller builds the predicate (e.g. `members.value eq` through a join table); it
 *   receives the resolved node: a `valuePath` for multi-valued attributes, else a compare/present.
 */
type ColumnMapping =
  | { readonly kind: "text"; readonly column: string; readonly lowerColumn?: string; readonly keyOf?: (value: string) => string }
  | { readonly kind: "uuid"; readonly column: string }
  | { readonly kind: "boolean"; readonly column: string }
  | { readonly kind: "timestamp"; readonly column: string }
  | { readonly kind: "jsonValue"; readonly column: string; readonly path: readonly string[] }
  | { readonly kind: "jsonArray"; readonly column: string; readonly path?: readonly string[] }
  | { readonly kind: "custom"; readonly toSql: (node: ResolvedFilter) => Sql };

export interface SqlMapping {
  readonly resource: ResourceDef;
  /**
   * Canonical attribute key → storage. Keys are spelled as in the schema: `userName`,
   * `name.givenName`, `meta.created`, `emails`, and extension attributes with their URN:
   * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber`.
   */
  readonly columns: Readonly<Record<string, ColumnMapping>>;
  /**
   * Optional jsonb column holding the SCIM document for attributes absent from `columns`, shaped
   * like the SCIM JSON (extension attributes under their URN key). Without it such attributes are
   * a 400 invalidFilter ("not supported"), never a silent false.
   */
  readonly document?: string;
}

/** Element alias inside EXISTS subqueries; distinctive so it never shadows a caller's table alias. */
const ELEMENT = "scim_elem";

/** Translates a parsed filter into a WHERE predicate for PostgreSQL. */
export function filterToSql(filter: Filter, mapping: SqlMapping): Sql {
  return compile(resolveFilter(filter, mapping.resource), mapping);
}

function compile(node: ResolvedFilter, mapping: SqlMapping): Sql {
  switch (node.kind) {
    case "and":
      return sql`(${compile(node.left, mapping)} AND ${compile(node.right, mapping)})`;
    case "or":
      return sql`(${compile(node.left, mapping)} OR ${compile(node.right, mapping)})`;
    case "not":
      // NULL (absent attribute) must count as "no match" before negation, as in matchesFilter.
      return sql`NOT COALESCE(${compile(node.filter, mapping)}, false)`;
    case "valuePath": {
      const storage = arrayStorage(node.attr, mapping);
      if (storage.kind === "custom") return storage.toSql(node);
      return sql`EXISTS (SELECT 1 FROM jsonb_array_elements(${storage.expr}) AS ${raw(ELEMENT)} WHERE ${compileElement(node.filter)})`;
    }
    case "present":
    case "compare": {
      const { attribute, subAttribute } = node.attr;
      if (attribute.multiValued && attribute.type === "complex" && !subAttribute) {
        const storage = arrayStorage(node.attr, mapping);
        if (storage.kind === "custom") return storage.toSql(node);
        return sql`EXISTS (SELECT 1 FROM jsonb_array_elements(${storage.expr}) AS ${raw(ELEMENT)})`;
      }
      if (attribute.type === "complex" && !subAttribute && node.kind === "present") {
        return complexPresent(node.attr, mapping);
      }
      const column = scalarColumn(node.attr, mapping);
      if (column.kind === "custom") return column.toSql(node);
      return predicate(target(column), leafDef(node.attr), node.kind === "present" ? undefined : node);
    }
  }
}

function compileElement(node: ResolvedFilter): Sql {
  switch (node.kind) {
    case "and":
      return sql`(${compileElement(node.left)} AND ${compileElement(node.right)})`;
    case "or":
      return sql`(${compileElement(node.left)} OR ${compileElement(node.right)})`;
    case "not":
      return sql`NOT COALESCE(${compileElement(node.filter)}, false)`;
    case "valuePath":
      throw ScimError.invalidFilter('"[...]" cannot be nested');
    case "present":
    case "compare": {
      const def = leafDef(node.attr);
      const target: Target = { expr: sql`${raw(ELEMENT)}->>${raw(quoteKey(def.name))}`, storage: "jsonText" };
      return predicate(target, def, node.kind === "present" ? undefined : node);
    }
  }
}

/** Schema-defined names only (never request text); checked anyway so quoting stays trivial. */
function quoteKey(name: string): string {
  if (!/^[A-Za-z$][A-Za-z0-9_$-]*$/.test(name)) throw new Error(`unexpected attribute name ${name}`);
  return `'${name}'`;
}

type Scalar = Exclude<ColumnMapping, { kind: "jsonArray" }>;

function notSupported(attr: ResolvedAttribute): ScimError {
  return ScimError.invalidFilter(`Filtering on ${attr.key} is not supported by this server`);
}

function documentPath(attr: ResolvedAttribute, withSub: boolean): string[] {
  const path = attr.inExtension ? [attr.schema, attr.attribute.name] : [attr.attribute.name];
  if (withSub && attr.subAttribute) path.push(attr.subAttribute.name);
  return path;
}

function scalarColumn(attr: ResolvedAttribute, mapping: SqlMapping): Scalar {
  const column = mapping.columns[attr.key];
  if (column) {
    if (column.kind === "jsonArray") throw new Error(`column mapping for ${attr.key} is jsonArray but the attribute is single-valued`);
    return column;
  }
  if (mapping.document === undefined) throw notSupported(attr);
  return { kind: "jsonValue", column: mapping.document, path: documentPath(attr, true) };
}

function arrayStorage(
  attr: ResolvedAttribute,
  mapping: SqlMapping,
): { kind: "array"; expr: Sql } | Extract<ColumnMapping, { kind: "custom" }> {
  const column = mapping.columns[attr.key];
  if (column?.kind === "custom") return column;
  if (column && column.kind !== "jsonArray")
    throw new Error(`column mapping for ${attr.key} must be jsonArray or custom (it is multi-valued)`);
  if (column) return { kind: "array", expr: column.path?.length ? jsonPath(column.column, column.path, false) : raw(column.column) };
  if (mapping.document === undefined) throw notSupported(attr);
  return { kind: "array", expr: jsonPath(mapping.document, documentPath(attr, false), false) };
}

/** `name pr`: any mapped sub-attribute present (RFC 7644 §3.4.2.2: "a non-empty node"). */
function complexPresent(attr: ResolvedAttribute, mapping: SqlMapping): Sql {
  const own = mapping.columns[attr.key];
  if (own?.kind === "custom") return own.toSql({ kind: "present", attr });
  if (own?.kind === "jsonValue" || (!own && mapping.document !== undefined && !hasMappedSub(attr, mapping))) {
    const column =
      own?.kind === "jsonValue" ? own : { kind: "jsonValue" as const, column: mapping.document as string, path: documentPath(attr, false) };
    return predicate(target(column), { ...attr.attribute, type: "string" }, undefined);
  }
  const parts = (attr.attribute.subAttributes ?? [])
    .map((sub) => withSubAttribute(attr, sub))
    .filter((sub) => mapping.columns[sub.key] !== undefined || mapping.document !== undefined)
    .map((sub) => compile({ kind: "present", attr: sub }, mapping));
  if (parts.length === 0) throw notSupported(attr);
  return sql`(${join(parts, " OR ")})`;
}

function hasMappedSub(attr: ResolvedAttribute, mapping: SqlMapping): boolean {
  return Object.keys(mapping.columns).some((key) => key.startsWith(`${attr.key}.`));
}

function jsonPath(column: string, path: readonly string[], asText: boolean): Sql {
  const fn = raw(asText ? "jsonb_extract_path_text" : "jsonb_extract_path");
  const args = path.map((segment) => sql`${segment}`);
  return sql`${fn}(${raw(column)}, ${join(args, ", ")})`;
}

interface Target {
  readonly expr: Sql;
  readonly storage: "text" | "uuid" | "boolean" | "timestamp" | "jsonText";
  readonly lowerExpr?: Sql;
  readonly keyOf?: (value: string) => string;
}

function target(column: Exclude<Scalar, { kind: "custom" }>): Target {
  switch (column.kind) {
    case "text":
      return {
        expr: raw(column.column),
        storage: "text",
        ...(column.lowerColumn ? { lowerExpr: raw(column.lowerColumn), keyOf: column.keyOf } : {}),
      };
    case "uuid":
    case "boolean":
    case "timestamp":
      return { expr: raw(column.column), storage: column.kind };
    case "jsonValue":
      return { expr: jsonPath(column.column, column.path, true), storage: "jsonText" };
  }
}

const SQL_OPERATOR: Record<Exclude<CompareOperator, "co" | "sw" | "ew">, string> = {
  eq: "=",
  ne: "IS DISTINCT FROM",
  gt: ">",
  ge: ">=",
  lt: "<",
  le: "<=",
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `\`, `%` and `_` are LIKE metacharacters; a user's "50%_off" must match literally. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

function likePattern(op: "co" | "sw" | "ew", value: string): string {
  const escaped = escapeLike(value);
  if (op === "sw") return `${escaped}%`;
  if (op === "ew") return `%${escaped}`;
  return `%${escaped}%`;
}

type Comparison = { readonly op: CompareOperator; readonly value: FilterValue };

function predicate(t: Target, def: AttributeDef, comparison: Comparison | undefined): Sql {
  const nativeNonText = t.storage === "boolean" || t.storage === "timestamp" || t.storage === "uuid";
  if (!comparison) {
    return nativeNonText ? sql`${t.expr} IS NOT NULL` : sql`COALESCE(${t.expr}, '') <> ''`;
  }
  const { op, value } = comparison;
  if (value === null) return op === "eq" ? sql`${t.expr} IS NULL` : sql`${t.expr} IS NOT NULL`;

  if (t.storage === "boolean") return sql`${t.expr} ${raw(SQL_OPERATOR[op as "eq" | "ne"])} ${value}`;
  if (t.storage === "timestamp" || (t.storage === "jsonText" && def.type === "dateTime")) {
    const left = t.storage === "timestamp" ? t.expr : sql`CAST(${t.expr} AS timestamptz)`;
    return sql`${left} ${raw(SQL_OPERATOR[op as keyof typeof SQL_OPERATOR])} CAST(${value} AS timestamptz)`;
  }
  if (t.storage === "jsonText" && def.type === "boolean") {
    // jsonb booleans read back as 'true' / 'false' text.
    return sql`${t.expr} ${raw(SQL_OPERATOR[op as "eq" | "ne"])} ${String(value)}`;
  }
  if (t.storage === "jsonText" && (def.type === "integer" || def.type === "decimal")) {
    return sql`CAST(${t.expr} AS numeric) ${raw(SQL_OPERATOR[op as keyof typeof SQL_OPERATOR])} ${value}`;
  }
  if (t.storage === "uuid" && (op === "eq" || op === "ne")) {
    if (!UUID.test(String(value))) return op === "eq" ? raw("FALSE") : sql`${t.expr} IS NOT NULL`;
    return sql`${t.expr} ${raw(SQL_OPERATOR[op])} CAST(${value} AS uuid)`;
  }
  return textComparison(t, def.caseExact, op, String(value));
}

function textComparison(t: Target, caseExact: boolean, op: CompareOperator, value: string): Sql {
  const column = t.storage === "uuid" ? sql`CAST(${t.expr} AS text)` : t.expr;
  if (op === "co" || op === "sw" || op === "ew") {
    const pattern = likePattern(op, value);
    if (caseExact) return sql`${column} LIKE ${pattern} ESCAPE '\\'`;
    if (t.lowerExpr && t.keyOf) return sql`${t.lowerExpr} LIKE ${likePattern(op, t.keyOf(value))} ESCAPE '\\'`;
    if (t.lowerExpr) return sql`${t.lowerExpr} LIKE lower(${pattern}) ESCAPE '\\'`;
    return sql`${column} ILIKE ${pattern} ESCAPE '\\'`;
  }
  const operator = raw(SQL_OPERATOR[op]);
  if (caseExact) return sql`${column} ${operator} ${value}`;
  if (t.lowerExpr && t.keyOf) return sql`${t.lowerExpr} ${operator} ${t.keyOf(value)}`;
  if (t.lowerExpr) return sql`${t.lowerExpr} ${operator} lower(${value})`;
  return sql`lower(${column}) ${operator} lower(${value})`;
}

export type SortOrder = "ascending" | "descending";

/**
 * ORDER BY expression for `sortBy` (RFC 7644 §3.4.2.3). Case-insensitive attributes sort by their
 * lowercased value; a multi-valued attribute sorts by its primary (else first) `value`; unassigned
 * values sort last in both orders. Append a unique column (id) yourself so pages stay stable.
 */
export function sortToSql(sortBy: string | AttributePath, sortOrder: SortOrder, mapping: SqlMapping): Sql {
  const path = typeof sortBy === "string" ? parseAttributePath(sortBy, (detail) => ScimError.invalidValue(`sortBy: ${detail}`)) : sortBy;
  const attr = resolveAttribute(mapping.resource, path);
  if (!attr) throw ScimError.invalidValue(`Cannot sort by ${formatAttributePath(path)}: ${describeUnresolved(mapping.resource, path)}`);
  const direction = raw(sortOrder === "descending" ? "DESC NULLS LAST" : "ASC NULLS LAST");
  if (attr.attribute.type === "complex" && !attr.subAttribute && !attr.attribute.multiValued) {
    throw ScimError.invalidValue(
      `Cannot sort by ${attr.key}: it is complex; sort by a sub-attribute such as ${attr.key}.${attr.attribute.subAttributes?.[0]?.name ?? "value"}`,
    );
  }
  if (attr.attribute.multiValued) {
    const storage = arrayStorage(withoutSubAttribute(attr), mapping);
    if (storage.kind === "custom") throw ScimError.invalidValue(`Sorting by ${attr.key} is not supported by this server`);
    const sub = raw(quoteKey(attr.subAttribute?.name ?? "value"));
    const element = raw(ELEMENT);
    return sql`(SELECT ${element}->>${sub} FROM jsonb_array_elements(${storage.expr}) AS ${element} ORDER BY (${element}->>'primary') = 'true' DESC NULLS LAST LIMIT 1) ${direction}`;
  }
  const column = scalarColumn(attr, mapping);
  if (column.kind === "custom") throw ScimError.invalidValue(`Sorting by ${attr.key} is not supported by this server`);
  const t = target(column);
  const def = leafDef(attr);
  const foldCase = !def.caseExact && def.type === "string" && (t.storage === "text" || t.storage === "jsonText");
  if (!foldCase) return sql`${t.expr} ${direction}`;
  return sql`${t.lowerExpr ?? sql`lower(${t.expr})`} ${direction}`;
}
