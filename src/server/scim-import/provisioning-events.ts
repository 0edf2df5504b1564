import { Prisma } from "@/generated/prisma/client";
import { sqlExecute } from "../db/sql";
import type { ScimEventInfo } from "./scim-result";

const SECRET_KEY = /pass(word)?|secret|token|authorization|credential|apikey|api_key/i;
/** A body still larger than this once its lists are shortened (serialized) is stored as a preview. */
const MAX_STORED_BODY_CHARS = 32_000;

/** Lists longer than this keep their first entries and a count: a page of 100 users or a push of 100 members is a protocol payload, not an audit record. */
const MAX_STORED_LIST = 10;

/**
 * One walk that redacts secrets and, wherever a list is longer than `maxList` (Resources of a
 * page, Operations of a bulk request, the members of a PATCH value), keeps its first entries and
 * records how many were left out beside it as `<key>Omitted`.
 */
function storableCopy(value: unknown, maxList: number): unknown {
  if (Array.isArray(value)) return value.slice(0, maxList).map((item) => storableCopy(item, maxList));
  if (value === null || typeof value !== "object") return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
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

type EventRow = [
  tenantId: string,
  method: string,
  path: string,
  operation: string,
  resourceType: string | null,
  resourceId: string | null,
  resourceName: string | null,
  status: number,
  durationMs: number,
  userAgent: string | null,
  requestBody: string | null,
  responseBody: string | null,
];

type Pending = { row: EventRow; done: () => void };
const queue: Pending[] = [];
let flushing = false;

/** The columns of a batch, one array per column: a single statement text whatever the batch size. */
function columns(batch: Pending[]): unknown[][] {
  return batch[0]!.row.map((_, column) => batch.map((pending) => pending.row[column]));
}

/** Inserts queued events, one INSERT per batch, until the queue is empty. */
async function flush(): Promise<void> {
  flushing = true;
  while (queue.length > 0) {
    const batch = queue.splice(0, 500);
    const [tenantIds, methods, paths, operations, resourceTypes, resourceIds, resourceNames, statuses, durations, userAgents, requests, responses] = columns(batch);
    try {
      await sqlExecute(Prisma.sql`
        INSERT INTO "ProvisioningEvent" ("tenantId", method, path, operation, "resourceType", "resourceId", "resourceName", status, "durationMs", "userAgent", "requestBody", "responseBody")
        SELECT * FROM unnest(${tenantIds}::uuid[], ${methods}::text[], ${paths}::text[], ${operations}::text[], ${resourceTypes}::text[], ${resourceIds}::text[],
          ${resourceNames}::text[], ${statuses}::int[], ${durations}::int[], ${userAgents}::text[], ${requests}::jsonb[], ${responses}::jsonb[])`);
    } catch (error) {
      console.error(`Could not record ${batch.length} SCIM provisioning event(s):`, error);
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
  const failed = input.status >= 400;
  const row: EventRow = [
    input.tenantId,
    input.method,
    input.path.slice(0, 2000),
    failed ? "error" : (input.event?.operation ?? "request"),
    input.event?.resourceType ?? null,
    input.event?.resourceId ?? null,
    input.event?.resourceName?.slice(0, 500) ?? null,
    input.status,
    Math.max(0, Math.round(input.durationMs)),
    input.userAgent?.slice(0, 500) ?? null,
    storableBodyJson(input.requestBody),
    storableBodyJson(input.responseBody),
  ];
  return new Promise<void>((resolve) => {
    queue.push({ row, done: resolve });
    if (!flushing) void flush();
  });
}
