import { ScimError } from "./errors";

/** Weak ETag for a resource version (RFC 7644 §3.14 uses weak validators: `W/"3"`). */
export function etagFromVersion(version: number | string): string {
  return `W/"${String(version)}"`;
}

/** The version inside an ETag we issued (`W/"3"` → "3"), for `WHERE version = …` updates. */
export function versionFromEtag(etag: string): string | undefined {
  const match = /^\s*(?:W\/)?"([^"]*)"\s*$/.exec(etag);
  return match?.[1];
}

/** `*`, or the opaque tags of an If-Match / If-None-Match list, weakness dropped (RFC 9110 §13.1). */
export type EtagCondition = { readonly kind: "any" } | { readonly kind: "tags"; readonly tags: readonly string[] };

export function parseEtagList(header: string): EtagCondition {
  if (header.trim() === "*") return { kind: "any" };
  const tags: string[] = [];
  const pattern = /\s*(?:W\/)?"([^"]*)"\s*(?:,|$)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pattern.exec(header)) !== null && match[0] !== "") {
    tags.push(match[1] as string);
    consumed = pattern.lastIndex;
  }
  if (consumed !== header.length || tags.length === 0) {
    throw ScimError.invalidValue(`Malformed ETag list ${JSON.stringify(header)}; send "*" or quoted tags such as W/"3"`);
  }
  return { kind: "tags", tags };
}

export type PreconditionResult = "proceed" | "notModified" | "preconditionFailed";

/**
 * Evaluates If-Match / If-None-Match (RFC 9110 §13.2.2) against the current version, with weak
 * comparison as SCIM's ETags are weak. If-None-Match on GET/HEAD answers 304, on writes 412.
 * `currentVersion` is undefined when the resource does not exist.
 */
export function checkPreconditions(
  headers: { readonly ifMatch?: string | null; readonly ifNoneMatch?: string | null },
  currentVersion: number | string | undefined,
  method: string,
): PreconditionResult {
  const current = currentVersion === undefined ? undefined : String(currentVersion);
  const matches = (condition: EtagCondition) => current !== undefined && (condition.kind === "any" || condition.tags.includes(current));
  if (headers.ifMatch) {
    if (!matches(parseEtagList(headers.ifMatch))) return "preconditionFailed";
  }
  if (headers.ifNoneMatch) {
    if (matches(parseEtagList(headers.ifNoneMatch))) {
      return method === "GET" || method === "HEAD" ? "notModified" : "preconditionFailed";
    }
  }
  return "proceed";
}

/** Throws the 412 a client expects when its If-Match is stale. */
export function assertIfMatch(ifMatch: string | null | undefined, currentVersion: number | string): void {
  if (ifMatch && checkPreconditions({ ifMatch }, currentVersion, "PUT") === "preconditionFailed") {
    throw ScimError.preconditionFailed(
      `The resource changed (current ETag ${etagFromVersion(currentVersion)}, If-Match ${ifMatch}); GET it again and retry`,
    );
  }
}
