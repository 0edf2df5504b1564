/** Reading remote resources back into the mapping's flat shape, and the outcome of one request. */
import type { FlatPayload, FlatValue } from "../mapping/render";
import { SCHEMA } from "../../scim";
import { extensionTarget } from "../scim-resource";
import { TransportError, type ScimResource, type ScimResponse } from "../client/scim-client";
import type { SyncContext } from "./context";
import { assertLeaseHeld } from "../../jobs/lease";

/** After this many requests in a row that failed even after retries, the target is down: stop the run. */
const OUTAGE_AFTER = 5;
import { explainStatus, explainTransport } from "../client/explain";

/** The remote value of each target attribute we map, comparable with a rendered payload. */
export function flattenRemote(resource: ScimResource, targets: readonly string[]): FlatPayload {
  const out: FlatPayload = {};
  for (const target of targets) {
    let value: unknown;
    if (target === "emails" || target === "phoneNumbers") {
      const list = (resource[target] as { value?: string; primary?: boolean }[] | undefined) ?? [];
      value = (list.find((e) => e.primary) ?? list[0])?.value ?? null;
    } else if (target === "entitlements") {
      const list = (resource.entitlements as { value?: string }[] | undefined) ?? [];
      value = list.map((e) => e.value).filter((v): v is string => typeof v === "string");
    } else if (target === "active") {
      value = resource.active === undefined ? null : resource.active === true || resource.active === "true";
    } else if (target.startsWith("enterprise.")) {
      value = (resource[SCHEMA.enterpriseUser] as Record<string, unknown> | undefined)?.[target.slice(11)];
    } else if (extensionTarget(target) !== undefined) {
      const extension = extensionTarget(target);
      value = extension && (resource[extension.schema] as Record<string, unknown> | undefined)?.[extension.attribute];
    } else if (target.includes(".")) {
      const [a, b] = target.split(".", 2) as [string, string];
      value = (resource[a] as Record<string, unknown> | undefined)?.[b];
    } else {
      value = resource[target];
    }
    out[target] = normalise(value);
  }
  return out;
}

function normalise(value: unknown): FlatValue {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.length ? value.map(String) : null;
  return String(value);
}

/** Fatal for the whole run: the token or the URL is wrong; retrying every object would only hammer the target. */
export class FatalTargetError extends Error {
  constructor(
    message: string,
    readonly httpStatus: number | null,
    /** Bad token, wrong URL: counts towards quarantine. An outage does not. */
    readonly quarantinable = true,
  ) {
    super(message);
    this.name = "FatalTargetError";
  }
}

export type Outcome =
  | { ok: true; response: ScimResponse; status: number }
  | { ok: false; response: ScimResponse | null; status: number | null; reason: string };

/**
 * One request whose failure is reported, not thrown — except 401/403 (bad token) and a 404
 * that is not a SCIM answer (wrong URL), which stop the run.
 */
export async function send(ctx: SyncContext, method: string, path: string, body: unknown, what: string): Promise<Outcome> {
  let response: ScimResponse;
  const unavailable = (reason: string) => {
    ctx.health.consecutiveFailures++;
    if (ctx.health.consecutiveFailures >= OUTAGE_AFTER) {
      throw new FatalTargetError(
        `The target is unavailable: ${OUTAGE_AFTER} requests in a row failed after retries (${reason}) The next sync continues where this one stopped.`,
        null,
        false,
      );
    }
  };
  // An in-process job whose lease another instance took over stops here, before its next request.
  assertLeaseHeld();
  try {
    response = await ctx.client.request(method, path, body);
  } catch (error) {
    if (error instanceof TransportError) {
      if (error.kind === "BLOCKED" || error.kind === "TLS") throw new FatalTargetError(explainTransport(error), null);
      unavailable(explainTransport(error));
      return { ok: false, response: null, status: null, reason: explainTransport(error) };
    }
    throw error;
  }
  if (response.status >= 500 || response.status === 429) unavailable(`status ${response.status}.`);
  else ctx.health.consecutiveFailures = 0;
  if (response.status === 401 || response.status === 403) throw new FatalTargetError(explainStatus(response, what), response.status);
  if (response.status === 404 && !isScimBody(response.body)) {
    throw new FatalTargetError("The Tenant URL does not point to a SCIM API (404). Check it on the Configuration tab.", 404);
  }
  if (response.status >= 200 && response.status < 300) return { ok: true, response, status: response.status };
  return { ok: false, response, status: response.status, reason: explainStatus(response, what) };
}

/** One remembered resource read back by id: still ours, gone, held by another object, or unreadable. */
export type RemoteRead =
  | { state: "ours"; resource: ScimResource }
  | { state: "missing" }
  | { state: "other"; holder: string }
  | { state: "failed"; status: number | null; reason: string; body: unknown };

/**
 * GET /Users/{id} or /Groups/{id} before writing to a remembered id: a 404 means gone; an answer
 * that is not ours (drift.ts's identity rules) means the target handed the id to someone else.
 * `request` and `status` are what Provision on Demand shows.
 */
export async function readRemote(
  ctx: SyncContext,
  resource: "Users" | "Groups",
  remoteId: string,
  isOurs: (remote: ScimResource) => boolean,
  what: string,
): Promise<{ read: RemoteRead; request: string; status: number | null; body: unknown }> {
  const path = `/${resource}/${encodeURIComponent(remoteId)}`;
  const outcome = await send(ctx, "GET", path, undefined, what);
  const request = `GET ${path}`;
  const body = outcome.response?.body ?? null;
  if (outcome.ok) {
    const found = body as ScimResource;
    if (isOurs(found)) return { read: { state: "ours", resource: found }, request, status: outcome.status, body };
    const holder = String(found.userName ?? found.displayName ?? found.id);
    return { read: { state: "other", holder }, request, status: outcome.status, body };
  }
  if (outcome.status === 404) return { read: { state: "missing" }, request, status: 404, body };
  return { read: { state: "failed", status: outcome.status, reason: outcome.reason, body }, request, status: outcome.status, body };
}

function isScimBody(body: unknown): boolean {
  return !!body && typeof body === "object" && Array.isArray((body as { schemas?: unknown }).schemas);
}
