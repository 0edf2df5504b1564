import {
  DEFAULT_FILTER_LIMITS,
  describedUserResource,
  GROUP_RESOURCE,
  ScimError,
  listResponse,
  parseListQuery,
  parseSearchRequest,
  resourceTypeDocuments,
  schemaDocuments,
  serviceProviderConfig,
  toScimErrorResponse,
  type ListQuery,
  type ListQueryConfig,
} from "../scim";
import { storedExtensionAttributes } from "../directory";
import { serverEnv } from "../env";
import { directoryChangeCommitted } from "../jobs/directory-changes";
import { clientAddressFrom } from "../http/client-address";
import { runScimBulk } from "./bulk";
import { scimImportConfig, type ScimImportConfig } from "./config";
import { createScimGroup, deleteScimGroup, getScimGroup, listScimGroups, patchScimGroup, queryGroups, replaceScimGroup } from "./groups";
import { selectionOf } from "./list-support";
import { expectProvisioningEvent } from "./provisioning-events";
import { FailedAuthLimiter, TenantRateLimiter } from "./rate-limit";
import { toScimError, type ScimContext, type ScimResult } from "./scim-result";
import { authenticateScimToken, bearerToken, rememberedScimTenant } from "./tokens";
import type { ScimHttpRequest, ScimHttpResponse } from "./http";
import { readRequestBody } from "./request-body";
import {
  createScimUser,
  deleteScimUser,
  getScimUser,
  listScimUsers,
  patchScimUser,
  queryUsers,
  replaceScimUser,
  type Preconditions,
} from "./users";
import { errorFields, log } from "../observability/logger";

const SCIM_CONTENT_TYPE = "application/scim+json; charset=utf-8";
/** Operations that write nothing; every other one changed the directory (a Bulk request may have in part). */
const READ_OPERATIONS = new Set(["lookup", "list", "discovery", "error"]);
const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

export type ScimImportHandlerOptions = {
  config?: ScimImportConfig;
  /** Public origin for `location` URLs; APP_URL by default. */
  appUrl?: string;
  /** Record provisioning events (on by default). */
  recordEvents?: boolean;
};

export type ScimImportHandler = (
  request: ScimHttpRequest,
  unverifiedSlug: string,
  segments: readonly string[],
) => Promise<ScimHttpResponse>;

/** The parsed request handed to `dispatch`: framework-free, so tests and the benchmark reuse it. */
type ParsedRequest = {
  method: string;
  segments: string[];
  params: URLSearchParams;
  body: unknown;
  pre: Preconditions;
};

const NUL_REFUSED = "Text cannot contain the NUL character (U+0000); remove it and retry";

const same = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

function methodNotAllowed(method: string, endpoint: string): never {
  throw ScimError.methodNotAllowed(method, endpoint);
}

/**
 * RFC 7644 §4: the discovery endpoints have no filtering, and a service provider that receives a
 * filter there SHOULD answer 403, so that a client never believes its filter was applied.
 */
function refuseDiscoveryFilter(params: URLSearchParams, endpoint: string): void {
  if (!params.has("filter")) return;
  throw ScimError.forbidden(`${endpoint} does not support filtering (RFC 7644 §4); request it without "filter" and select on your side`);
}

function listConfig(config: ScimImportConfig): ListQueryConfig {
  return { defaultCount: config.defaultCount, maxCount: config.maxResults, filterLimits: DEFAULT_FILTER_LIMITS };
}

/** POST /.search at the root (RFC 7644 §3.4.3): Users then Groups, paged as one list. */
async function searchAll(ctx: ScimContext, query: ListQuery): Promise<ScimResult> {
  const attempt = async <T>(run: () => Promise<T>, empty: T): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      // A filter naming an attribute one resource type lacks matches nothing of that type.
      if (error instanceof ScimError && error.scimType === "invalidFilter" && query.filter) return empty;
      throw error;
    }
  };
  const offset = query.startIndex - 1;
  const users = await attempt(() => queryUsers(ctx, query, offset, query.count), { total: 0, resources: [] });
  const groupOffset = Math.max(0, offset - users.total);
  const groupLimit = Math.max(0, query.count - users.resources.length);
  const groups = await attempt(() => queryGroups(ctx, query, groupOffset, groupLimit), { total: 0, resources: [] });
  if (users.total === 0 && groups.total === 0 && query.filter) {
    // Neither type could evaluate it: surface the error instead of an empty list clients trust.
    await queryUsers(ctx, query, 0, 0).catch(async (error) => {
      await queryGroups(ctx, query, 0, 0).catch(() => {
        throw error;
      });
    });
  }
  return {
    status: 200,
    body: listResponse([...users.resources, ...groups.resources], {
      totalResults: users.total + groups.total,
      startIndex: query.startIndex,
    }),
    event: { operation: query.filter ? "lookup" : "list", resourceName: query.filterText },
  };
}

async function dispatch(ctx: ScimContext, request: ParsedRequest, config: ScimImportConfig): Promise<ScimResult> {
  const { method, segments, params, body, pre } = request;
  const [first, second, third] = segments;
  if (third !== undefined) throw new ScimError(404, `No SCIM endpoint at /${segments.join("/")}`);
  const selection = selectionOf(params);
  const hasSelection = selection.attributes.length > 0 || selection.excludedAttributes.length > 0;

  if (same(first, "Users") || same(first, "Groups")) {
    const users = same(first, "Users");
    const endpoint = users ? "/Users" : "/Groups";
    if (second === undefined) {
      if (method === "GET")
        return users
          ? listScimUsers(ctx, parseListQuery(params, listConfig(config)))
          : listScimGroups(ctx, parseListQuery(params, listConfig(config)));
      if (method === "POST") return users ? createScimUser(ctx, body, selection) : createScimGroup(ctx, body, selection);
      methodNotAllowed(method, endpoint);
    }
    if (second === ".search") {
      if (method !== "POST") methodNotAllowed(method, `${endpoint}/.search`);
      const query = parseSearchRequest(body, listConfig(config));
      return users ? listScimUsers(ctx, query) : listScimGroups(ctx, query);
    }
    const id = second;
    switch (method) {
      case "GET":
        return users ? getScimUser(ctx, id, selection, pre) : getScimGroup(ctx, id, selection, pre);
      case "PUT":
        return users ? replaceScimUser(ctx, id, body, pre, selection) : replaceScimGroup(ctx, id, body, pre, selection);
      case "PATCH":
        return users
          ? patchScimUser(ctx, id, body, pre, selection)
          : patchScimGroup(ctx, id, body, pre, hasSelection ? selection : undefined);
      case "DELETE":
        return users ? deleteScimUser(ctx, id, pre) : deleteScimGroup(ctx, id, pre);
      default:
        methodNotAllowed(method, `${endpoint}/{id}`);
    }
  }
  if (first === ".search" && second === undefined) {
    if (method !== "POST") methodNotAllowed(method, "/.search");
    return searchAll(ctx, parseSearchRequest(body, listConfig(config)));
  }
  if (same(first, "Bulk") && second === undefined) {
    if (method !== "POST") methodNotAllowed(method, "/Bulk");
    return runScimBulk(ctx, body, config);
  }
  if (same(first, "ServiceProviderConfig") && second === undefined) {
    if (method !== "GET") methodNotAllowed(method, "/ServiceProviderConfig");
    refuseDiscoveryFilter(params, "/ServiceProviderConfig");
    return {
      status: 200,
      body: serviceProviderConfig({ baseUrl: ctx.baseUrl, bulk: config.bulk, maxResults: config.maxResults }),
      event: { operation: "discovery" },
    };
  }
  if (same(first, "ResourceTypes") || same(first, "Schemas")) {
    const resourceTypes = same(first, "ResourceTypes");
    const endpoint = resourceTypes ? "/ResourceTypes" : "/Schemas";
    if (method !== "GET") methodNotAllowed(method, second === undefined ? endpoint : `${endpoint}/{id}`);
    refuseDiscoveryFilter(params, second === undefined ? endpoint : `${endpoint}/{id}`);
    // The tenant's User resource advertises the extensions it declared (RFC 7643 §6, §7) and, when
    // it keeps undeclared ones, those its users hold: read from the directory, discovery being rare.
    const stored = ctx.userResource.undeclaredExtensions === "accept" ? await storedExtensionAttributes({ tenantId: ctx.tenantId }) : [];
    const resources = [describedUserResource(ctx.userResource, stored), GROUP_RESOURCE];
    const documents: { id: string }[] = resourceTypes
      ? resourceTypeDocuments(ctx.baseUrl, resources)
      : schemaDocuments(ctx.baseUrl, resources);
    if (second === undefined)
      return {
        status: 200,
        body: listResponse(documents, { totalResults: documents.length, startIndex: 1 }),
        event: { operation: "discovery" },
      };
    const document = documents.find((d) => d.id.toLowerCase() === second.toLowerCase());
    if (!document) throw ScimError.notFound(resourceTypes ? "ResourceType" : "Schema", second);
    return { status: 200, body: document, event: { operation: "discovery" } };
  }
  if (same(first, "Me"))
    throw ScimError.notImplemented("/Me is not supported: SCIM clients authenticate as the tenant's IdP, not as a user");
  throw new ScimError(404, `No SCIM endpoint at /${segments.join("/")}; see ${ctx.baseUrl}/ResourceTypes`);
}

function respond(status: number, body: unknown, headers: Record<string, string> = {}): ScimHttpResponse {
  const hasBody = body !== undefined && status !== 204 && status !== 304;
  return {
    status,
    headers: { ...(hasBody ? { "Content-Type": SCIM_CONTENT_TYPE } : {}), "Cache-Control": "no-store", ...headers },
    body: hasBody ? JSON.stringify(body) : null,
  };
}

function tooManyRequests(detail: string, retryAfterSeconds: number): ScimHttpResponse {
  return respond(429, toScimErrorResponse(new ScimError(429, detail)).body, { "Retry-After": String(retryAfterSeconds) });
}

function errorResponse(
  error: unknown,
  extra: Record<string, string> = {},
): { status: number; body: unknown; headers: Record<string, string> } {
  const mapped = toScimError(error);
  if (!(mapped instanceof ScimError)) log().error(errorFields(error), "SCIM Import request failed");
  const { status, body } = toScimErrorResponse(mapped);
  return { status, body, headers: extra };
}

/** Reads and parses the body (request-body.ts), then dispatches; every failure becomes the SCIM error it answers with. */
async function answer(
  ctx: ScimContext,
  request: ScimHttpRequest,
  method: string,
  url: URL,
  segments: readonly string[],
  config: ScimImportConfig,
): Promise<{ requestBody: unknown; result: ScimResult }> {
  let requestBody: unknown;
  try {
    if (BODY_METHODS.has(method)) {
      const read = await readRequestBody(request, config.maxPayloadBytes);
      requestBody = read.ok ? read.value : read.stored;
      if (!read.ok) throw read.error;
    }
    if (url.search.includes("%00")) throw ScimError.invalidValue(NUL_REFUSED);
    const pre = { ifMatch: request.header("if-match"), ifNoneMatch: request.header("if-none-match") };
    return {
      requestBody,
      // HEAD is a GET whose body is not sent (RFC 9110 §9.3.2): the server writes none for it.
      result: await dispatch(
        ctx,
        { method: method === "HEAD" ? "GET" : method, segments: [...segments], params: url.searchParams, body: requestBody, pre },
        config,
      ),
    };
  } catch (error) {
    const { status, body, headers } = errorResponse(error);
    return { requestBody, result: { status, body, headers, event: { operation: "error" } } };
  }
}

/**
 * Builds the SCIM Import request handler: refuse a client address with too many failed
 * authentications (429 + Retry-After), authenticate (401 alike for unknown tenant and bad
 * token), rate-limit the tenant (429 + Retry-After), read and parse the body (413 / 400 invalidSyntax),
 * dispatch to the resource handlers, answer, and record the provisioning event.
 */
export function createScimImportHandler(options: ScimImportHandlerOptions = {}): ScimImportHandler {
  const config = options.config ?? scimImportConfig();
  const limiter = new TenantRateLimiter(config.rateLimit);
  const failedAuth = new FailedAuthLimiter(config.failedAuthLimit);
  const recordEvents = options.recordEvents ?? true;

  return async (request, unverifiedSlug, segments) => {
    const started = performance.now();
    const method = request.method.toUpperCase();
    // The base only completes a path-only URL; the origin is never used.
    const url = new URL(request.url, "http://localhost");
    const credentials = { unverifiedSlug, token: bearerToken(request.header("authorization")) };
    const address = clientAddressFrom(request.header("x-forwarded-for"), serverEnv().TRUST_PROXY);
    const refused = failedAuth.check(address);
    // Checked before any lookup; a token this process verified lately still passes, since an IdP's
    // egress addresses are shared by its customers and one of them may keep sending a revoked token.
    if (!refused.ok && !rememberedScimTenant(credentials)) {
      return tooManyRequests(
        `Too many failed authentications from this address; retry after ${refused.retryAfterSeconds} s`,
        refused.retryAfterSeconds,
      );
    }
    const tenant = await authenticateScimToken(credentials).catch((error) => {
      log().error(errorFields(error), "SCIM token check failed");
      return undefined;
    });
    if (tenant === undefined) {
      const { body } = errorResponse(new ScimError(503, "The service is temporarily unavailable; retry later."));
      return respond(503, body, { "Retry-After": "5" });
    }
    if (!tenant) {
      failedAuth.recordFailure(address);
      const { status, body } = errorResponse(ScimError.unauthorized());
      return respond(status, body, { "WWW-Authenticate": 'Bearer realm="SCIM"' });
    }
    const limited = limiter.take(tenant.id);
    if (!limited.ok)
      return tooManyRequests(`Too many requests for this tenant; retry after ${limited.retryAfterSeconds} s`, limited.retryAfterSeconds);

    const appUrl = (options.appUrl ?? serverEnv().APP_URL).replace(/\/+$/, "");
    const ctx: ScimContext = {
      tenantId: tenant.id,
      baseUrl: `${appUrl}/api/scim/v2/${encodeURIComponent(tenant.slug)}`,
      userResource: tenant.userResource,
    };
    // Announced now, so that the events of requests running together are inserted together.
    const event = recordEvents ? expectProvisioningEvent() : undefined;
    try {
      const { requestBody, result } = await answer(ctx, request, method, url, segments, config);
      // The write committed before its answer was built: the change-triggered sync may follow.
      if (result.event && !READ_OPERATIONS.has(result.event.operation)) directoryChangeCommitted(tenant.id);
      const response = respond(result.status, result.body, result.headers);
      await event?.record({
        tenantId: tenant.id,
        method,
        path: `${url.pathname}${url.search}`,
        status: result.status,
        durationMs: performance.now() - started,
        userAgent: request.header("user-agent"),
        requestBody,
        responseBody: result.body,
        event: result.event,
      });
      return response;
    } finally {
      event?.release();
    }
  };
}

let defaultHandler: ScimImportHandler | undefined;

/** The process's handler (one set of rate limiters per process), used by the route. */
export function scimImportHandler(): ScimImportHandler {
  defaultHandler ??= createScimImportHandler();
  return defaultHandler;
}
