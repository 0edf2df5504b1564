import type { ScimError } from "./errors";
import { ATTRIBUTE_SCHEMA_URNS } from "./schemas";

/** `[URI ":"] ATTRNAME *1subAttr` of RFC 7644 §3.4.2.2 (Figure 1), schema URN already split off. */
export interface AttributePath {
  /** Canonical URN when it is one we know, else the URN as written (resolution then fails). */
  readonly schema: string | undefined;
  readonly attribute: string;
  readonly subAttribute: string | undefined;
}

/** ATTRNAME = ALPHA *(nameChar); `$ref` is the one RFC 7643 name starting with `$`. */
const ATTRNAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/;

export function isAttributeName(text: string): boolean {
  return ATTRNAME.test(text);
}

/** The known schema URN `text` equals, any case; undefined if it is not exactly one. */
export function matchSchemaUrn(text: string): string | undefined {
  const lower = text.toLowerCase();
  return ATTRIBUTE_SCHEMA_URNS.find((urn) => urn.toLowerCase() === lower);
}

/**
 * Splits `text` into schema URN, attribute and sub-attribute. URNs contain dots (`2.0`), so known
 * schema prefixes are matched first (Entra sends `urn:…:enterprise:2.0:User:employeeNumber`); an
 * unknown `urn:` is split at its last colon, since attribute names cannot contain one.
 */
export function parseAttributePath(text: string, fail: (detail: string) => ScimError): AttributePath {
  let schema: string | undefined;
  let rest = text;
  const lower = text.toLowerCase();
  const known = ATTRIBUTE_SCHEMA_URNS.find((urn) => lower.startsWith(`${urn.toLowerCase()}:`));
  if (known) {
    schema = known;
    rest = text.slice(known.length + 1);
  } else if (lower.startsWith("urn:")) {
    const colon = text.lastIndexOf(":");
    schema = text.slice(0, colon);
    rest = text.slice(colon + 1);
  }
  const parts = rest.split(".");
  const [attribute, subAttribute, ...extra] = parts;
  if (attribute === undefined || !isAttributeName(attribute)) {
    throw fail(
      rest === ""
        ? `${JSON.stringify(text)} names a schema but no attribute; append ":attributeName"`
        : `${JSON.stringify(text)} is not an attribute path; expected attribute, attribute.subAttribute or urn:…:attribute`,
    );
  }
  if (subAttribute !== undefined && !isAttributeName(subAttribute)) {
    throw fail(`${JSON.stringify(text)} has an invalid sub-attribute name ${JSON.stringify(subAttribute)}`);
  }
  if (extra.length > 0) {
    throw fail(`${JSON.stringify(text)} nests deeper than attribute.subAttribute, which SCIM does not allow (RFC 7644 §3.10)`);
  }
  return { schema, attribute, subAttribute };
}

export function formatAttributePath(path: AttributePath): string {
  const local = path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`;
  return path.schema === undefined ? local : `${path.schema}:${local}`;
}
