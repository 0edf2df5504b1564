/** A SCIM resource or complex value as parsed from JSON. */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The key of `object` spelled like `name` in any case (RFC 7643 §2.1: attribute names are case-insensitive). */
export function findKey(object: JsonObject, name: string): string | undefined {
  if (Object.hasOwn(object, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(object).find((key) => key.toLowerCase() === lower);
}

export function getIgnoringCase(object: JsonObject, name: string): unknown {
  const key = findKey(object, name);
  return key === undefined ? undefined : object[key];
}

/** RFC 7643 §2.5: null, an empty array and an absent attribute all mean "unassigned". */
export function isUnassigned(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}
