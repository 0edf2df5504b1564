import { SCHEMA, projectAttributes, type JsonObject, type ListQuery, type ResourceDef } from "../scim";

/**
 * Whether a list or GET must load `name` (a relation such as groups or members, which costs a
 * query): not when the client excluded it or asked for other attributes only.
 */
export function wantsAttribute(
  query: Pick<ListQuery, "attributes" | "excludedAttributes">,
  name: string,
  coreUrn: string = SCHEMA.user,
): boolean {
  const lower = name.toLowerCase();
  const names = (list: readonly string[]) => list.map((a) => a.toLowerCase());
  const matches = (a: string) => a === lower || a.startsWith(`${lower}.`) || a.endsWith(`:${lower}`) || a.includes(`:${lower}.`);
  if (query.attributes.length > 0) {
    const attributes = names(query.attributes);
    return attributes.some((a) => matches(a) || a === coreUrn.toLowerCase());
  }
  return !names(query.excludedAttributes).some((a) => a === lower || a.endsWith(`:${lower}`));
}

export function project(resource: JsonObject, query: Pick<ListQuery, "attributes" | "excludedAttributes">, def: ResourceDef): JsonObject {
  if (query.attributes.length === 0 && query.excludedAttributes.length === 0) return resource;
  return projectAttributes(resource, { attributes: query.attributes, excludedAttributes: query.excludedAttributes }, def);
}

/** Attributes/excludedAttributes of a single-resource request (RFC 7644 §3.9), from the URL. */
export function selectionOf(params: URLSearchParams): { attributes: string[]; excludedAttributes: string[] } {
  const read = (name: string) => {
    for (const [key, value] of params) {
      if (key.toLowerCase() === name.toLowerCase())
        return value
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
    }
    return [];
  };
  return { attributes: read("attributes"), excludedAttributes: read("excludedAttributes") };
}
