import { expectEventWrite } from "../provisioning-events/record-events";
import { REDACTED, isSecretPath, redactFilterText, redactQueryString } from "./event-redaction";
import type { ScimEventInfo } from "./scim-result";

/** A body still larger than this once its lists are shortened (serialized) is stored as a preview. */
const MAX_STORED_BODY_CHARS = 32_000;

/** Lists longer than this keep their first entries and a count: a page of 100 users or a push of 100 members is a protocol payload, not an audit record. */
const MAX_STORED_LIST = 10;

/**
 * Deeper values are stored as a marker: request bodies are refused past 32 levels before parsing
 * (request-body.ts), so this only bounds the walk's recursion whatever it is given.
 */
const MAX_STORED_DEPTH = 40;

/**
 * PostgreSQL cannot store U+0000 in text or json, nor a lone surrogate (json refuses the escape
 * JSON.stringify writes for it): a refused request's text keeps a visible U+FFFD in their place.
 */
const storableText = (text: string) => (text.includes("\0") ? text.replaceAll("\0", "\uFFFD") : text).toWellFormed();

/** Set while copying a request: whether anything was redacted (then error details echoing it are too). */
type Walk = { maxList: number; redacted: boolean; redactDetails: boolean };

/** The PATCH path of an operation-shaped object (`{op, path, value}`, at any depth: Bulk data too). */
function operationPath(object: Record<string, unknown>): unknown {
  for (const key in object) if (key.length === 4 && key.toLowerCase() === "path") return object[key];
  return undefined;
}

/**
 * One walk that redacts secrets by attribute path (event-redaction.ts) and, wherever a list is
 * longer than `maxList` (Resources of a page, Operations of a bulk request, the members of a
 * PATCH value), keeps its first entries and records how many were left out beside it as
 * `<key>Omitted`. Redacted: keys naming a secret (`password`, `urn:…:User:password`,
 * `access_token`), the `value` of an operation whose `path` names one, secrets in `filter`s.
 */
function storableCopy(value: unknown, walk: Walk, depth: number): unknown {
  if (typeof value === "string") return storableText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_STORED_DEPTH) return "[nested too deep]";
  if (Array.isArray(value)) return value.slice(0, walk.maxList).map((item) => storableCopy(item, walk, depth + 1));
  const object = value as Record<string, unknown>;
  const path = operationPath(object);
  const secretOperation = typeof path === "string" && isSecretPath(path);
  // A path whose value filter compares a secret (`x[password eq "…"]`) holds the secret itself.
  const secretPathText = secretOperation && (path as string).includes("[");
  const copy: Record<string, unknown> = {};
  for (const [rawKey, item] of Object.entries(object)) {
    const key = storableText(rawKey);
    const lower = rawKey.toLowerCase();
    if (isSecretPath(rawKey) || (secretOperation && lower === "value") || (secretPathText && lower === "path")) {
      copy[key] = REDACTED;
      walk.redacted = true;
      continue;
    }
    if (typeof item === "string" && lower === "filter") {
      const filter = redactFilterText(item);
      if (filter !== item) walk.redacted = true;
      copy[key] = storableText(filter);
      continue;
    }
    if (typeof item === "string" && lower === "detail" && walk.redactDetails) {
      copy[key] = REDACTED;
      continue;
    }
    copy[key] = storableCopy(item, walk, depth + 1);
    if (Array.isArray(item) && item.length > walk.maxList) copy[`${key}Omitted`] = item.length - walk.maxList;
  }
  return copy;
}

/**
 * What is stored of a body, as JSON text: secrets redacted and long lists shortened, at any depth,
 * in one walk (so a large page or member push costs little to record); a body still too large is
 * kept as a preview.
 */
export function storableBodyJson(
  value: unknown,
  walk: Walk = { maxList: MAX_STORED_LIST, redacted: false, redactDetails: false },
): string | null {
  if (value === undefined) return null;
  const text = JSON.stringify(storableCopy(value, walk, 0));
  if (text === undefined) return null;
  if (text.length <= MAX_STORED_BODY_CHARS) return text;
  return JSON.stringify({ truncated: true, sizeChars: text.length, preview: text.slice(0, 2000) });
}

/** The path as stored: its query string without credentials or secrets in a filter. */
function storablePath(path: string, walk: Walk): string {
  const query = path.indexOf("?");
  if (query < 0) return storableText(path);
  const search = path.slice(query);
  const stored = redactQueryString(search);
  if (stored !== search) walk.redacted = true;
  return storableText(path.slice(0, query) + stored);
}

type ProvisioningEventInput = {
  tenantId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  userAgent: string | null;
  requestBody: unknown;
  responseBody: unknown;
  event: ScimEventInfo | undefined;
};

/**
 * An event as a JSON object in the table's column names, its bodies spliced in as the JSON text
 * they already are: a batch is then one JSON array, one parameter (bench:scim-import: a third of
 * the server's cost per batch against a text array per column, whose every quote pg escapes).
 */
function eventJson(input: ProvisioningEventInput): string {
  const failed = input.status >= 400;
  const request: Walk = { maxList: MAX_STORED_LIST, redacted: false, redactDetails: false };
  const path = storablePath(input.path, request);
  const requestBody = storableBodyJson(input.requestBody, request);
  // An error answering a request that held a secret may quote it (a filter's bad token): its details are not kept.
  const responseBody = storableBodyJson(input.responseBody, {
    maxList: MAX_STORED_LIST,
    redacted: false,
    redactDetails: failed && request.redacted,
  });
  const columns = {
    tenantId: input.tenantId,
    method: input.method,
    path: path.slice(0, 2000),
    operation: failed ? "error" : (input.event?.operation ?? "request"),
    resourceType: input.event?.resourceType ?? null,
    resourceId: input.event?.resourceId ?? null,
    resourceName: input.event?.resourceName === undefined ? null : storableText(input.event.resourceName.slice(0, 500)),
    status: input.status,
    durationMs: Math.max(0, Math.round(input.durationMs)),
    userAgent: input.userAgent === null ? null : storableText(input.userAgent.slice(0, 500)),
  };
  const text = JSON.stringify(columns);
  return `${text.slice(0, -1)},"requestBody":${requestBody ?? "null"},"responseBody":${responseBody ?? "null"}}`;
}

/**
 * The event of one SCIM request, announced when the request starts so that concurrent requests'
 * events are inserted together (../provisioning-events/record-events.ts). `record` is awaited after the response is
 * computed and before it is returned, so an event is never lost for a request whose answer the
 * client saw; a request that ends without one calls `release`.
 */
export type PendingProvisioningEvent = {
  record(input: ProvisioningEventInput): Promise<void>;
  release(): void;
};

export function expectProvisioningEvent(): PendingProvisioningEvent {
  const ticket = expectEventWrite();
  return { record: (input) => ticket.submit(eventJson(input)), release: ticket.release };
}
