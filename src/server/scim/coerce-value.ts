import { ScimError } from "./errors";
import { type JsonObject, isJsonObject } from "./json-object";
import { type AttributeDef, findAttribute } from "./schemas";

/**
 * Coerces a client value to an attribute's definition, so what is stored is canonical:
 * - booleans sent as strings ("True", "False": Entra's default dialect) become booleans;
 * - a bare value for a complex attribute with a `value` sub-attribute becomes `{value}` (Entra sends
 *   the enterprise `manager` as a bare id);
 * - sub-attribute names take their schema spelling (RFC 7643 §2.1: names are case-insensitive);
 * - read-only sub-attributes (manager.displayName) and nulls are dropped (RFC 7643 §2.5);
 * - a single value for a multi-valued attribute is wrapped in an array.
 * Anything else that does not fit is a 400 invalidValue naming the attribute.
 */
export function coerceAttributeValue(def: AttributeDef, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return null;
  if (def.multiValued) {
    const items = Array.isArray(value) ? value : [value];
    return items.filter((item) => item !== null && item !== undefined).map((item, i) => coerceSingleValue(def, item, `${path}[${i}]`));
  }
  return coerceSingleValue(def, value, path);
}

/** A boolean, or one sent as a string in any case ("True", "False": Entra); undefined for anything else. */
export function scimBoolean(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  return undefined;
}

/** Coerces one value (one element of a multi-valued attribute, or a singular value). */
export function coerceSingleValue(def: AttributeDef, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return null;
  const invalid = (expected: string) => ScimError.invalidValue(`${path} must be ${expected}, not ${describeValue(value)}`);
  switch (def.type) {
    case "complex": {
      if (Array.isArray(value)) throw invalid("a single object");
      if (!isJsonObject(value)) {
        const valueSub = findAttribute(def.subAttributes, "value");
        if (valueSub) return { [valueSub.name]: coerceSingleValue(valueSub, value, `${path}.value`) };
        throw invalid(`an object with ${(def.subAttributes ?? []).map((s) => s.name).join(", ")}`);
      }
      return coerceComplexObject(def, value, path);
    }
    case "boolean": {
      const boolean = scimBoolean(value);
      if (boolean === undefined) throw invalid("true or false");
      return boolean;
    }
    case "integer":
    case "decimal": {
      const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      if (typeof number !== "number" || !Number.isFinite(number) || (def.type === "integer" && !Number.isInteger(number))) {
        throw invalid(def.type === "integer" ? "an integer" : "a number");
      }
      return number;
    }
    case "dateTime":
      if (typeof value === "string" && isDateTime(value)) return value;
      throw invalid('an xsd:dateTime string such as "2024-01-31T12:00:00Z"');
    case "string":
    case "reference":
    case "binary":
      if (typeof value === "string") return value;
      // Numbers for string attributes (employeeNumber: 42) are a common mapping slip; keep the digits.
      if (typeof value === "number" && Number.isFinite(value)) return String(value);
      throw invalid("a string");
  }
}

function coerceComplexObject(def: AttributeDef, value: JsonObject, path: string): JsonObject {
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    const sub = findAttribute(def.subAttributes, key);
    if (!sub) {
      const known = (def.subAttributes ?? []).map((s) => s.name).join(", ");
      throw ScimError.invalidValue(`${path} has no sub-attribute ${JSON.stringify(key)} (it has: ${known})`);
    }
    if (sub.mutability === "readOnly" || item === null || item === undefined) continue;
    out[sub.name] = coerceSingleValue(sub, item, `${path}.${sub.name}`);
  }
  return out;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (isJsonObject(value)) return "an object";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** xsd:dateTime (RFC 7643 §2.3.5), date-only accepted for filters such as meta.created gt "2024-01-01". */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?$/;

export function isDateTime(value: string): boolean {
  return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
}
