import { ScimError, type ScimErrorBody, toScimErrorResponse } from "./errors";
import { type JsonLimits, DEFAULT_JSON_LIMITS, assertJsonWithinLimits } from "./json-limits";
import { getIgnoringCase, isJsonObject } from "./json-object";
import { SCHEMA, sameUrn } from "./schemas";

export interface BulkLimits {
  readonly maxOperations: number;
  /** Bytes of the raw request body. */
  readonly maxPayloadSize: number;
}

export const DEFAULT_BULK_LIMITS: BulkLimits = { maxOperations: 100, maxPayloadSize: 1_048_576 };

type BulkMethod = "POST" | "PUT" | "PATCH" | "DELETE";

export interface BulkOperation {
  readonly index: number;
  readonly method: BulkMethod;
  readonly bulkId: string | undefined;
  /** ETag the client expects (If-Match semantics, RFC 7644 §3.7). */
  readonly version: string | undefined;
  /** `/Users`, `/Groups`. */
  readonly endpoint: string;
  /** Resource id for PUT/PATCH/DELETE; may still be a `bulkId:…` reference. */
  readonly id: string | undefined;
  readonly data: unknown;
}

export interface BulkRequest {
  /** Stop after this many errors (RFC 7644 §3.7.3); undefined: run everything. */
  readonly failOnErrors: number | undefined;
  readonly operations: readonly BulkOperation[];
}

/** RFC 7644 §3.7.4: a body over maxPayloadSize is a 413, checked before parsing. */
export function assertBulkPayloadSize(bytes: number, limits: BulkLimits = DEFAULT_BULK_LIMITS): void {
  if (bytes > limits.maxPayloadSize) {
    throw ScimError.tooLarge(
      `The size of the bulk operation (${bytes} bytes) exceeds the maxPayloadSize (${limits.maxPayloadSize}); split it into smaller requests`,
    );
  }
}

const METHODS: readonly BulkMethod[] = ["POST", "PUT", "PATCH", "DELETE"];

/** Validates a BulkRequest (RFC 7644 §3.7); limits per §3.7.4. */
export function parseBulkRequest(
  body: unknown,
  options: { readonly limits?: BulkLimits; readonly endpoints?: readonly string[]; readonly jsonLimits?: JsonLimits } = {},
): BulkRequest {
  const limits = options.limits ?? DEFAULT_BULK_LIMITS;
  const endpoints = options.endpoints ?? ["/Users", "/Groups"];
  if (!isJsonObject(body)) throw ScimError.invalidSyntax('Bulk body must be a JSON object with "schemas" and "Operations"');
  const schemas = getIgnoringCase(body, "schemas");
  if (!Array.isArray(schemas) || !schemas.some((urn) => typeof urn === "string" && sameUrn(urn, SCHEMA.bulkRequest))) {
    throw ScimError.invalidSyntax(`Bulk body "schemas" must be ["${SCHEMA.bulkRequest}"]`);
  }
  const operations = getIgnoringCase(body, "Operations");
  if (!Array.isArray(operations)) throw ScimError.invalidSyntax('Bulk body needs an "Operations" array');
  if (operations.length > limits.maxOperations) {
    throw ScimError.tooLarge(`The bulk request has ${operations.length} operations; maxOperations is ${limits.maxOperations}`);
  }
  assertJsonWithinLimits(
    body,
    {
      ...(options.jsonLimits ?? DEFAULT_JSON_LIMITS),
      maxArrayLength: Math.max(limits.maxOperations, (options.jsonLimits ?? DEFAULT_JSON_LIMITS).maxArrayLength),
    },
    "Bulk body",
  );
  const failOnErrors = getIgnoringCase(body, "failOnErrors");
  if (failOnErrors !== undefined && (typeof failOnErrors !== "number" || !Number.isInteger(failOnErrors) || failOnErrors < 1)) {
    throw ScimError.invalidValue("failOnErrors must be a positive integer");
  }
  const parsed = operations.map((operation, index) => parseBulkOperation(operation, index, endpoints));
  const seen = new Set<string>();
  for (const operation of parsed) {
    if (operation.bulkId === undefined) continue;
    if (seen.has(operation.bulkId))
      throw ScimError.invalidValue(`bulkId ${JSON.stringify(operation.bulkId)} is used by more than one operation; bulkIds must be unique`);
    seen.add(operation.bulkId);
  }
  return { failOnErrors: failOnErrors as number | undefined, operations: parsed };
}

function parseBulkOperation(operation: unknown, index: number, endpoints: readonly string[]): BulkOperation {
  const where = `Operations[${index}]`;
  if (!isJsonObject(operation)) throw ScimError.invalidSyntax(`${where} must be an object with method, path and data`);
  const rawMethod = getIgnoringCase(operation, "method");
  const method = typeof rawMethod === "string" ? (rawMethod.toUpperCase() as BulkMethod) : undefined;
  if (!method || !METHODS.includes(method)) {
    throw ScimError.invalidValue(`${where}: method must be POST, PUT, PATCH or DELETE, not ${JSON.stringify(rawMethod ?? null)}`);
  }
  const path = getIgnoringCase(operation, "path");
  if (typeof path !== "string") throw ScimError.invalidValue(`${where}: path is required, e.g. "/Users" or "/Users/{id}"`);
  const match = /^(\/[A-Za-z]+)(?:\/([^/]+))?\/?$/.exec(path.trim());
  const endpoint = endpoints.find((known) => known.toLowerCase() === match?.[1]?.toLowerCase());
  if (!match || !endpoint)
    throw ScimError.invalidValue(
      `${where}: path ${JSON.stringify(path)} must be one of ${endpoints.join(", ")}, optionally followed by /{id}`,
    );
  const id = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
  const bulkId = optionalString(operation, "bulkId", where);
  const version = optionalString(operation, "version", where);
  const data = getIgnoringCase(operation, "data");
  if (method === "POST") {
    if (id !== undefined) throw ScimError.invalidValue(`${where}: POST path must be ${endpoint} without an id`);
    if (bulkId === undefined) throw ScimError.invalidValue(`${where}: POST needs a bulkId (RFC 7644 §3.7)`);
  } else if (id === undefined) {
    throw ScimError.invalidValue(`${where}: ${method} path must name a resource: ${endpoint}/{id}`);
  }
  if (method !== "DELETE" && !isJsonObject(data))
    throw ScimError.invalidValue(`${where}: ${method} needs "data" (the resource or PatchOp body)`);
  return { index, method, bulkId, version, endpoint, id, data };
}

function optionalString(operation: Record<string, unknown>, name: string, where: string): string | undefined {
  const value = getIgnoringCase(operation, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value === "") throw ScimError.invalidValue(`${where}: ${name} must be a non-empty string`);
  return value;
}

const BULK_ID_REFERENCE = /^bulkId:(.+)$/;

/** bulkIds referenced in an operation: its path id and any string value `bulkId:…` in data. */
export function bulkIdReferences(operation: Pick<BulkOperation, "id" | "data">): string[] {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === "string") {
      const match = BULK_ID_REFERENCE.exec(value);
      if (match) found.add(match[1] as string);
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (isJsonObject(value)) {
      Object.values(value).forEach(visit);
    }
  };
  visit(operation.id);
  visit(operation.data);
  return [...found];
}

export interface BulkStep {
  readonly operation: BulkOperation;
  /** Set when the operation cannot run: report it as its result without executing it. */
  readonly error: ScimError | undefined;
}

/**
 * Execution order: request order, except that an operation runs after the POSTs whose bulkIds it
 * references (RFC 7644 §3.7.1). References to bulkIds no operation declares are a 400
 * invalidValue; operations caught in a circular reference (or depending on one) are a 409, which
 * §3.7.1 allows once resolution fails.
 */
export function planBulkExecution(request: BulkRequest): BulkStep[] {
  const declared = new Map(request.operations.filter((op) => op.bulkId !== undefined).map((op) => [op.bulkId as string, op.index]));
  const pending = request.operations.map((operation) => {
    const references = bulkIdReferences(operation);
    const undeclared = references.filter((ref) => !declared.has(ref));
    const error =
      undeclared.length > 0
        ? ScimError.invalidValue(`bulkId:${undeclared.join(", bulkId:")} is not declared by any POST in this request`)
        : undefined;
    return { operation, dependsOn: references.filter((ref) => declared.has(ref)), error };
  });
  const placed = new Set<string>();
  const steps: BulkStep[] = [];
  while (pending.length > 0) {
    const next = pending.findIndex((item) => item.error !== undefined || item.dependsOn.every((ref) => placed.has(ref)));
    if (next < 0) {
      const ids = pending.map((item) => item.operation.bulkId ?? `Operations[${item.operation.index}]`).join(", ");
      for (const item of pending) {
        steps.push({
          operation: item.operation,
          error: ScimError.conflict(
            `Circular bulkId references (${ids}) could not be resolved; create the resources first and link them in a later request`,
          ),
        });
      }
      break;
    }
    const [item] = pending.splice(next, 1);
    if (!item) break;
    steps.push({ operation: item.operation, error: item.error });
    if (item.operation.bulkId !== undefined) placed.add(item.operation.bulkId);
  }
  return steps;
}

/**
 * Replaces `bulkId:xyz` strings (path id, member values, manager…) with the ids created earlier in
 * the request. A reference whose POST failed is a 409: the operation cannot be carried out.
 */
export function resolveBulkIds<T>(value: T, resolved: ReadonlyMap<string, string>): T {
  const visit = (node: unknown): unknown => {
    if (typeof node === "string") {
      const match = BULK_ID_REFERENCE.exec(node);
      if (!match) return node;
      const id = resolved.get(match[1] as string);
      if (id === undefined) throw ScimError.conflict(`${node} could not be resolved: the operation creating it failed or has not run`);
      return id;
    }
    if (Array.isArray(node)) return node.map(visit);
    if (isJsonObject(node)) return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, visit(item)]));
    return node;
  };
  return visit(value) as T;
}

/** failOnErrors (RFC 7644 §3.7.3): stop once this many operations have failed. */
export function shouldStopBulk(request: BulkRequest, errorCount: number): boolean {
  return request.failOnErrors !== undefined && errorCount >= request.failOnErrors;
}

export interface BulkOperationResult {
  readonly method: BulkMethod;
  readonly bulkId?: string | undefined;
  readonly version?: string | undefined;
  readonly location?: string | undefined;
  readonly status: number;
  /** The error body for failures; omitted for successes (RFC 7644 §3.7.3 allows either). */
  readonly response?: unknown;
}

/** The result entry for an operation that failed with `error` (anything thrown). */
export function bulkErrorResult(operation: BulkOperation, error: unknown): BulkOperationResult {
  const { status, body } = toScimErrorResponse(error);
  return { method: operation.method, bulkId: operation.bulkId, status, response: body };
}

export interface BulkResponse {
  readonly schemas: readonly [typeof SCHEMA.bulkResponse];
  readonly Operations: readonly {
    readonly method: BulkMethod;
    readonly bulkId?: string;
    readonly version?: string;
    readonly location?: string;
    readonly status: string;
    readonly response?: unknown;
  }[];
}

/** BulkResponse with `status` as strings, like the RFC 7644 §3.7.3 examples. */
export function bulkResponse(results: readonly BulkOperationResult[]): BulkResponse {
  return {
    schemas: [SCHEMA.bulkResponse],
    Operations: results.map((result) => ({
      method: result.method,
      ...(result.bulkId === undefined ? {} : { bulkId: result.bulkId }),
      ...(result.version === undefined ? {} : { version: result.version }),
      ...(result.location === undefined ? {} : { location: result.location }),
      status: String(result.status),
      ...(result.response === undefined ? {} : { response: result.response as ScimErrorBody }),
    })),
  };
}
