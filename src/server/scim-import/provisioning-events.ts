import { Prisma } from "@/generated/prisma/client";
import { sqlExecute } from "../db/sql";
import type { ScimEventInfo } from "./scim-result";

const SECRET_KEY = /pass(word)?|secret|token|authorization|credential|apikey|api_key/i;
/** Bodies above this (serialized) are stored as a summary: a page of 100 users is a protocol payload, not an audit record. */
const MAX_STORED_BODY_CHARS = 32_000;

/** A copy with every value under a secret-looking key replaced (passwords, tokens). */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, SECRET_KEY.test(key) ? "[redacted]" : redactSecrets(item)]));
  }
  return value;
}

const LIST_KEYS = ["Resources", "Operations", "members"] as const;

/**
 * What is stored of a body: long lists (a page of 100 users, a bulk request, a group push) keep
 * their first 10 entries and a count, then secrets are redacted; a body still too large is kept as
 * a preview. Lists are shortened before anything is walked or serialized, so a large page costs
 * little to record.
 */
export function storableBody(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined) return undefined;
  let body = value;
  if (body && typeof body === "object" && !Array.isArray(body)) {
    const object = { ...(body as Record<string, unknown>) };
    for (const key of LIST_KEYS) {
      const list = object[key];
      if (Array.isArray(list) && list.length > 10) {
        object[key] = list.slice(0, 10);
        object[`${key}Omitted`] = list.length - 10;
      }
    }
    body = object;
  }
  const redacted = redactSecrets(body);
  const text = JSON.stringify(redacted);
  if (text === undefined) return undefined;
  if (text.length <= MAX_STORED_BODY_CHARS) return redacted as Prisma.InputJsonValue;
  return { truncated: true, sizeChars: text.length, preview: text.slice(0, 2000) };
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
  const json = (body: unknown) => {
    const stored = storableBody(body);
    return stored === undefined ? null : JSON.stringify(stored);
  };
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
    json(input.requestBody),
    json(input.responseBody),
  ];
  return new Promise<void>((resolve) => {
    queue.push({ row, done: resolve });
    if (!flushing) void flush();
  });
}
