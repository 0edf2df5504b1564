import { Prisma } from "@/generated/prisma/client";
import { sqlExecute } from "../db/sql";
import type { ScimEventInfo } from "./scim-result";

const SECRET_KEY = /pass(word)?|secret|token|authorization|credential|apikey|api_key/i;
/** A body still larger than this once its lists are shortened (serialized) is stored as a preview. */
const MAX_STORED_BODY_CHARS = 32_000;

/** Lists longer than this keep their first entries and a count: a page of 100 users or a push of 100 members is a protocol payload, not an audit record. */
const MAX_STORED_LIST = 10;

/** PostgreSQL cannot store U+0000 in text or jsonb: a refused request's body keeps a visible U+FFFD in its place. */
const storableText = (text: string) => (text.includes("\0") ? text.replaceAll("\0", "\uFFFD") : text);

/**
 * One walk that redacts secrets and, wherever a list is longer than `maxList` (Resources of a
 * page, Operations of a bulk request, the members of a PATCH value), keeps its first entries and
 * records how many were left out beside it as `<key>Omitted`.
 */
function storableCopy(value: unknown, maxList: number): unknown {
  if (Array.isArray(value)) return value.slice(0, maxList).map((item) => storableCopy(item, maxList));
  if (typeof value === "string") return storableText(value);
  if (value === null || typeof value !== "object") return value;
  const copy: Record<string, unknown> = {};
  for (const [rawKey, item] of Object.entries(value)) {
    const key = storableText(rawKey);
    if (SECRET_KEY.test(key)) {
      copy[key] = "[redacted]";
      continue;
    }
    copy[key] = storableCopy(item, maxList);
    if (Array.isArray(item) && item.length > maxList) copy[`${key}Omitted`] = item.length - maxList;
  }
  return copy;
}

/**
 * What is stored of a body, as JSON text: secrets redacted and long lists shortened, at any depth,
 * in one walk (so a large page or member push costs little to record); a body still too large is
 * kept as a preview.
 */
export function storableBodyJson(value: unknown): string | null {
  if (value === undefined) return null;
  const text = JSON.stringify(storableCopy(value, MAX_STORED_LIST));
  if (text === undefined) return null;
  if (text.length <= MAX_STORED_BODY_CHARS) return text;
  return JSON.stringify({ truncated: true, sizeChars: text.length, preview: text.slice(0, 2000) });
}

export type ProvisioningEventInput = {
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
  const columns = {
    tenantId: input.tenantId,
    method: input.method,
    path: input.path.slice(0, 2000),
    operation: failed ? "error" : (input.event?.operation ?? "request"),
    resourceType: input.event?.resourceType ?? null,
    resourceId: input.event?.resourceId ?? null,
    resourceName: input.event?.resourceName?.slice(0, 500) ?? null,
    status: input.status,
    durationMs: Math.max(0, Math.round(input.durationMs)),
    userAgent: input.userAgent?.slice(0, 500) ?? null,
  };
  const text = JSON.stringify(columns);
  return `${text.slice(0, -1)},"requestBody":${storableBodyJson(input.requestBody) ?? "null"},"responseBody":${storableBodyJson(input.responseBody) ?? "null"}}`;
}

type Pending = { json: string; done: () => void };
const queue: Pending[] = [];
let flushing = false;

function insertEvents(batch: Pending[]): Promise<number> {
  return sqlExecute(Prisma.sql`
    INSERT INTO "ProvisioningEvent" ("tenantId", method, path, operation, "resourceType", "resourceId", "resourceName", status, "durationMs", "userAgent", "requestBody", "responseBody")
    SELECT "tenantId", method, path, operation, "resourceType", "resourceId", "resourceName", status, "durationMs", "userAgent", "requestBody", "responseBody"
    FROM json_populate_recordset(NULL::"ProvisioningEvent", ${`[${batch.map((pending) => pending.json).join(",")}]`}::json)`);
}

/** Inserts queued events, one INSERT per batch, until the queue is empty. */
async function flush(): Promise<void> {
  flushing = true;
  while (queue.length > 0) {
    const batch = queue.splice(0, 500);
    try {
      await insertEvents(batch);
    } catch (error) {
      // One bad event must not cost the others theirs: each is tried on its own.
      for (const pending of batch.length > 1 ? batch : []) await insertEvents([pending]).catch(() => undefined);
      console.error(`Could not record ${batch.length === 1 ? "a SCIM provisioning event" : `a batch of ${batch.length} SCIM provisioning events (retried one by one)`}:`, error);
    }
    for (const pending of batch) pending.done();
  }
  flushing = false;
}

/**
 * Records the event after the response is computed and before it is returned (the caller awaits
 * this), so an event is never lost for a request whose answer the client saw. Group commit keeps
 * it cheap: with no write in flight the event is inserted at once; events arriving while one is in
 * flight are inserted together right after it, so concurrent requests share one INSERT instead of
 * queueing behind one each. A failure to record is logged and never fails the SCIM request.
 */
export function recordProvisioningEvent(input: ProvisioningEventInput): Promise<void> {
  const json = eventJson(input);
  return new Promise<void>((resolve) => {
    queue.push({ json, done: resolve });
    if (!flushing) void flush();
  });
}
