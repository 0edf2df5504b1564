import { type AttributePath, formatAttributePath, parseAttributePath } from "./attribute-path";
import type { PatchOpName } from "./apply-patch";
import { ScimError } from "./errors";
import { type FilterValue, formatFilter } from "./parse-filter";
import { SCHEMA, sameUrn } from "./schema-urns";

/**
 * The messages a SCIM client sends (PatchOp bodies, filters, PATCH paths) and the ListResponse it
 * reads, built from the same AST and serializers the server side parses with, so that what we send
 * is exactly what our own parser accepts: no filter or path is assembled from strings elsewhere.
 */

/** One operation of a PatchOp request on the wire (RFC 7644 §3.5.2): the path as text. */
export interface PatchOpRequest {
  readonly op: PatchOpName;
  readonly path?: string;
  readonly value?: unknown;
}

/** A PatchOp request body (RFC 7644 §3.5.2). */
export interface PatchRequest {
  readonly schemas: readonly [typeof SCHEMA.patchOp];
  readonly Operations: readonly PatchOpRequest[];
}

export function patchRequest(operations: readonly PatchOpRequest[]): PatchRequest {
  return { schemas: [SCHEMA.patchOp], Operations: operations };
}

const invalidAttribute = (detail: string) => ScimError.invalidPath(`A SCIM client message names an invalid attribute: ${detail}`);

/** `attribute`, `parent.sub` or `urn:…:attribute` (RFC 7644 §3.10) as a path, checked. */
function pathOf(attribute: string): AttributePath {
  return parseAttributePath(attribute, invalidAttribute);
}

/**
 * An attribute path as text (RFC 7644 §3.10): an extension attribute is prefixed with its schema
 * URN (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`).
 */
export function attributePathText(attribute: string, schema?: string): string {
  const path = pathOf(attribute);
  return formatAttributePath(schema === undefined ? path : { ...path, schema });
}

/**
 * `attribute eq value` (RFC 7644 §3.4.2.2): the value as a JSON literal, so quotes and
 * backslashes in it are escaped (a userName `a"b` is `userName eq "a\"b"`).
 */
export function equalityFilter(attribute: string, value: FilterValue): string {
  return formatFilter({ kind: "compare", path: pathOf(attribute), op: "eq", value });
}

const VALUE: AttributePath = { schema: undefined, attribute: "value", subAttribute: undefined };

/**
 * The PATCH path of one element of a multi-valued attribute by its value (RFC 7644 §3.5.2,
 * `valuePath = attrPath "[" valFilter "]"`): `members[value eq "2819c223-…"]`, which RFC 7644
 * §3.5.2.2 uses to remove a single member.
 */
export function elementPath(attribute: string, value: string): string {
  return formatFilter({ kind: "valuePath", path: pathOf(attribute), filter: { kind: "compare", path: VALUE, op: "eq", value } });
}

/**
 * The query string of a list request (RFC 7644 §3.4.2): `filter`, `startIndex` and `count`, each
 * percent-encoded as a URI component (a space as %20, which every server decodes; `+` is not
 * read as a space by all of them).
 */
export function listQueryString(query: { readonly filter?: string; readonly startIndex?: number; readonly count?: number }): string {
  const parts: string[] = [];
  if (query.filter !== undefined) parts.push(`filter=${encodeURIComponent(query.filter)}`);
  if (query.startIndex !== undefined) parts.push(`startIndex=${query.startIndex}`);
  if (query.count !== undefined) parts.push(`count=${query.count}`);
  return parts.join("&");
}

/** What a client reads from a ListResponse (RFC 7644 §3.4.2). Numbers are undefined when the server left them out. */
export interface ListResponsePage<T> {
  /** The body names the ListResponse schema. */
  readonly isListResponse: boolean;
  readonly resources: T[];
  readonly totalResults: number | undefined;
  readonly startIndex: number | undefined;
  readonly itemsPerPage: number | undefined;
}

/**
 * Reads a ListResponse leniently: `Resources` is REQUIRED only when totalResults is non-zero
 * (RFC 7644 §3.4.2), so a missing one is an empty page, and a field that is not a number counts
 * as left out. Never throws: the caller decides what an answer without a page means.
 */
export function parseListResponse<T>(body: unknown): ListResponsePage<T> {
  const object = body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const number = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
  const schemas = object.schemas;
  return {
    isListResponse: Array.isArray(schemas) && schemas.some((urn) => typeof urn === "string" && sameUrn(urn, SCHEMA.listResponse)),
    resources: Array.isArray(object.Resources) ? (object.Resources as T[]) : [],
    totalResults: number(object.totalResults),
    startIndex: number(object.startIndex),
    itemsPerPage: number(object.itemsPerPage),
  };
}
