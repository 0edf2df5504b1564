import { Prisma } from "@/generated/prisma/client";
import { createGroupCommit } from "../db/group-commit";
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

async function insertEvents(events: string[]): Promise<void> {
  await sqlExecute(Prisma.sql`
    INSERT INTO "ProvisioningEvent" ("tenantId", method, path, operation, "resourceType", "resourceId", "resourceName", status, "durationMs", "userAgent", "requestBody", "responseBody")
    SELECT "tenantId", method, path, operation, "resourceType", "resourceId", "resourceName", status, "durationMs", "userAgent", "requestBody", "responseBody"
    FROM json_populate_recordset(NULL::"ProvisioningEvent", ${`[${events.join(",")}]`}::json)`);
}

/** A failure to record is logged and never fails the SCIM request; one bad event must not cost the others theirs. */
async function insertEventsOrLog(events: string[]): Promise<void> {
  try {
    await insertEvents(events);
  } catch (error) {
    for (const event of events.length > 1 ? events : []) await insertEvents([event]).catch(() => undefined);
    console.error(`Could not record ${events.length === 1 ? "a SCIM provisioning event" : `a batch of ${events.length} SCIM provisioning events (retried one by one)`}:`, error);
  }
}

const eventWrites = createGroupCommit<string>({ write: insertEventsOrLog });

/**
 * The event of one SCIM request, announced when the request starts so that concurrent requests'
 * events are inserted together (../db/group-commit.ts). `record` is awaited after the response is
 * computed and before it is returned, so an event is never lost for a request whose answer the
 * client saw; a request that ends without one calls `release`.
 */
export type PendingProvisioningEvent = {
  record(input: ProvisioningEventInput): Promise<void>;
  release(): void;
};

export function expectProvisioningEvent(): PendingProvisioningEvent {
  const ticket = eventWrites.expect();
  return { record: (input) => ticket.submit(eventJson(input)), release: ticket.release };
}
