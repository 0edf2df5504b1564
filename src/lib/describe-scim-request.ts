/**
 * What a recorded SCIM Import request was trying to do, read back from the stored event: its
 * method, path and (redacted) request body. A failed request is recorded as operation "error" with
 * no resource, since it never reached one; this puts back "create user alice" for a 409, so the
 * reader of Provisioning events knows which user or group the identity provider was working on.
 *
 * Only identifiers are read from the body (userName, displayName, an operation's path and
 * active flag), never other values: the body is stored redacted, and this adds nothing to it.
 */

export type ScimRequestEvent = {
  method: string;
  /** As stored: the URL's path and query, `/api/scim/v2/<tenant>/Users/<id>?…`. */
  path: string;
  requestBody: unknown;
  /** The user's or group's name when the server recorded one. */
  resourceName?: string | null;
};

export type ScimRequestDescription = {
  /** In words, lower case: "create user", "add members to group", "look up users". */
  action: string;
  resourceType: "User" | "Group" | null;
  /** The user's userName, the group's displayName, else the id the path names. */
  subject: string | null;
};

/** Names and details are cut here: a table cell, not the payload (the drawer shows that). */
const MAX_SUBJECT_CHARS = 120;
const MAX_DETAIL_CHARS = 300;

const REDACTED = "[redacted]";

const DISCOVERY_ENDPOINTS = new Set(["serviceproviderconfig", "resourcetypes", "schemas"]);

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** A key's value read case-insensitively, as SCIM attribute names are (RFC 7643 §2.1). */
function field(object: Record<string, unknown> | null, name: string): unknown {
  if (!object) return undefined;
  for (const key in object) if (key.toLowerCase() === name) return object[key];
  return undefined;
}

function identifier(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const text = value.trim();
  return text && text !== REDACTED ? clip(text, MAX_SUBJECT_CHARS) : null;
}

/** The endpoint and id the path names after the tenant's SCIM base URL. */
function endpointOf(path: string): { endpoint: string; id: string | null; query: URLSearchParams } {
  const queryAt = path.indexOf("?");
  const pathname = queryAt < 0 ? path : path.slice(0, queryAt);
  const search = queryAt < 0 ? "" : path.slice(queryAt + 1);
  const base = /\/api\/scim\/v2\/[^/]+\/?(.*)$/.exec(pathname);
  const segments = (base?.[1] ?? pathname).split("/").filter(Boolean);
  let id: string | null = null;
  try {
    id = segments[1] ? decodeURIComponent(segments[1]) : null;
  } catch {
    id = segments[1] ?? null;
  }
  return { endpoint: segments[0] ?? "", id, query: new URLSearchParams(search) };
}

type PatchOperation = { op: string; path: string; value: unknown };

function patchOperations(body: unknown): PatchOperation[] {
  const operations = field(record(body), "operations");
  if (!Array.isArray(operations)) return [];
  return operations.map((item) => {
    const operation = record(item);
    const op = field(operation, "op");
    const path = field(operation, "path");
    return {
      op: typeof op === "string" ? op.toLowerCase() : "",
      path: typeof path === "string" ? path.toLowerCase() : "",
      value: field(operation, "value"),
    };
  });
}

/** Okta sends `{op: replace, value: {active: false}}`, Entra `{op: Replace, path: active, value: "False"}`. */
function activeFlag(operations: PatchOperation[]): boolean | null {
  for (const { path, value } of operations) {
    const raw = path === "active" ? value : path === "" ? field(record(value), "active") : undefined;
    if (raw === true || raw === false) return raw;
    if (typeof raw === "string" && /^(true|false)$/i.test(raw)) return raw.toLowerCase() === "true";
  }
  return null;
}

function userPatchAction(operations: PatchOperation[]): string {
  const active = activeFlag(operations);
  if (active === false) return "deactivate user";
  if (active === true) return "reactivate user";
  return "update user";
}

function groupPatchAction(operations: PatchOperation[]): string {
  const membership = operations.filter(
    ({ path, value }) => path.startsWith("members") || (path === "" && field(record(value), "members") !== undefined),
  );
  if (membership.length === operations.length && membership.length > 0) {
    const ops = new Set(membership.map(({ op }) => op));
    if (ops.size === 1 && ops.has("add")) return "add members to group";
    if (ops.size === 1 && ops.has("remove")) return "remove members from group";
    return "change members of group";
  }
  if (
    operations.length > 0 &&
    operations.every(({ path, value }) => path === "displayname" || (path === "" && field(record(value), "displayname") !== undefined))
  )
    return "rename group";
  return "update group";
}

const WRITE_VERBS: Record<string, string> = { POST: "create", PUT: "replace", DELETE: "delete" };

export function describeScimRequest(event: ScimRequestEvent): ScimRequestDescription {
  const method = event.method.toUpperCase();
  const { endpoint, id, query } = endpointOf(event.path);
  const kind = endpoint.toLowerCase();
  const body = record(event.requestBody);
  const stored = identifier(event.resourceName);

  if (kind === "users" || kind === "groups") {
    const resourceType = kind === "users" ? "User" : "Group";
    const noun = kind === "users" ? "user" : "group";
    const named = identifier(field(body, kind === "users" ? "username" : "displayname"));
    const subject = stored ?? named ?? (id ? clip(id, MAX_SUBJECT_CHARS) : null);
    if (method === "GET") {
      if (id) return { action: `look up ${noun}`, resourceType, subject };
      const filter = identifier(query.get("filter"));
      return filter
        ? { action: `look up ${noun}s`, resourceType, subject: filter }
        : { action: `list ${noun}s`, resourceType, subject: null };
    }
    if (method === "PATCH") {
      const operations = patchOperations(event.requestBody);
      return { action: kind === "users" ? userPatchAction(operations) : groupPatchAction(operations), resourceType, subject };
    }
    const verb = WRITE_VERBS[method];
    if (verb) return { action: `${verb} ${noun}`, resourceType, subject };
  }
  if (kind === "bulk" && method === "POST") {
    const operations = field(body, "operations");
    const omitted = field(body, "operationsOmitted".toLowerCase());
    const count = (Array.isArray(operations) ? operations.length : 0) + (typeof omitted === "number" ? omitted : 0);
    return { action: "bulk request", resourceType: null, subject: count ? `${count} operation${count === 1 ? "" : "s"}` : null };
  }
  if (DISCOVERY_ENDPOINTS.has(kind) && method === "GET") return { action: `read ${endpoint}`, resourceType: null, subject: null };
  return { action: `${method} ${endpoint ? `/${endpoint}` : "the SCIM base URL"}`, resourceType: null, subject: null };
}

/** "create user alice": the description as one phrase. */
export function scimRequestSentence(description: ScimRequestDescription): string {
  return description.subject ? `${description.action} ${description.subject}` : description.action;
}

/**
 * What the answer said went wrong, from a SCIM error body (RFC 7644 §3.12): its detail, after its
 * scimType when there is one ("uniqueness: A user with the userName "alice" already exists.").
 */
export function scimErrorDetail(responseBody: unknown): string | null {
  const body = record(responseBody);
  const rawDetail = field(body, "detail");
  const detail = typeof rawDetail === "string" && rawDetail.trim() && rawDetail !== REDACTED ? rawDetail.trim() : null;
  const scimType = identifier(field(body, "scimtype"));
  if (!detail) return scimType;
  return clip(scimType ? `${scimType}: ${detail}` : detail, MAX_DETAIL_CHARS);
}
