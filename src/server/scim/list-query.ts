import { z } from "zod";
import { parseAttributePath } from "./attribute-path";
import { ScimError } from "./errors";
import { mayNameNeverReturned, redactFilter } from "./never-returned";
import { type Filter, type FilterLimits, DEFAULT_FILTER_LIMITS, formatFilter, parseFilter } from "./parse-filter";
import { SCHEMA } from "./schemas";
import type { SortOrder } from "./filter-to-sql";

export interface ListQuery {
  readonly filter: Filter | undefined;
  /**
   * The filter as the client wrote it (what a provisioning event shows for a lookup); with the
   * values compared to a never-returned attribute (password) replaced by "[redacted]".
   */
  readonly filterText?: string;
  /** 1-based (RFC 7644 §3.4.2.4). */
  readonly startIndex: number;
  /** 0 means "only totalResults". */
  readonly count: number;
  readonly sortBy: string | undefined;
  readonly sortOrder: SortOrder;
  readonly attributes: readonly string[];
  readonly excludedAttributes: readonly string[];
}

export interface ListQueryConfig {
  /** Used when the client sends no count; Okta pages by 100. */
  readonly defaultCount: number;
  /** ServiceProviderConfig filter.maxResults: larger counts are lowered to it (RFC 7644 §3.4.2.4). */
  readonly maxCount: number;
  readonly filterLimits?: FilterLimits;
}

const DEFAULT_LIST_QUERY_CONFIG: ListQueryConfig = { defaultCount: 100, maxCount: 1000 };

const PARAMETERS = ["filter", "startIndex", "count", "sortBy", "sortOrder", "attributes", "excludedAttributes"] as const;
type Parameter = (typeof PARAMETERS)[number];

/**
 * Reads list parameters from a query string. `URLSearchParams` decodes `+` as a space, which is how
 * Entra encodes `userName+eq+"x"`. Parameter names match in any case; unknown parameters are
 * ignored (Entra sends some).
 */
export function parseListQuery(query: URLSearchParams | string, config: ListQueryConfig = DEFAULT_LIST_QUERY_CONFIG): ListQuery {
  const params = typeof query === "string" ? new URLSearchParams(query.startsWith("?") ? query.slice(1) : query) : query;
  const raw: Partial<Record<Parameter, string>> = {};
  for (const [name, value] of params) {
    const parameter = PARAMETERS.find((known) => known.toLowerCase() === name.toLowerCase());
    if (parameter && value.trim() !== "") raw[parameter] = value;
  }
  return build(
    {
      filter: raw.filter,
      startIndex: raw.startIndex === undefined ? undefined : parseInteger("startIndex", raw.startIndex),
      count: raw.count === undefined ? undefined : parseInteger("count", raw.count),
      sortBy: raw.sortBy,
      sortOrder: raw.sortOrder,
      attributes: splitList(raw.attributes),
      excludedAttributes: splitList(raw.excludedAttributes),
    },
    config,
  );
}

const searchRequestSchema = z.object({
  schemas: z.array(z.string()).optional(),
  filter: z.string().optional(),
  startIndex: z.number().int().optional(),
  count: z.number().int().optional(),
  sortBy: z.string().optional(),
  sortOrder: z.string().optional(),
  attributes: z.union([z.array(z.string()), z.string()]).optional(),
  excludedAttributes: z.union([z.array(z.string()), z.string()]).optional(),
});

/** Reads a `POST /.search` body (RFC 7644 §3.4.3, SearchRequest schema). */
export function parseSearchRequest(body: unknown, config: ListQueryConfig = DEFAULT_LIST_QUERY_CONFIG): ListQuery {
  const parsed = searchRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "body";
    throw ScimError.invalidValue(
      `SearchRequest ${where}: ${issue?.message ?? "invalid"}; startIndex and count are JSON integers, the rest strings`,
    );
  }
  const request = parsed.data;
  if (request.schemas && !request.schemas.some((urn) => urn.toLowerCase() === SCHEMA.searchRequest.toLowerCase())) {
    throw ScimError.invalidSyntax(`SearchRequest schemas must contain ${SCHEMA.searchRequest}`);
  }
  const list = (value: string | string[] | undefined) => (typeof value === "string" ? splitList(value) : (value ?? []).flatMap(splitList));
  return build(
    {
      filter: request.filter,
      startIndex: request.startIndex,
      count: request.count,
      sortBy: request.sortBy,
      sortOrder: request.sortOrder,
      attributes: list(request.attributes),
      excludedAttributes: list(request.excludedAttributes),
    },
    config,
  );
}

interface RawQuery {
  filter: string | undefined;
  startIndex: number | undefined;
  count: number | undefined;
  sortBy: string | undefined;
  sortOrder: string | undefined;
  attributes: string[];
  excludedAttributes: string[];
}

function build(raw: RawQuery, config: ListQueryConfig): ListQuery {
  for (const name of [...raw.attributes, ...raw.excludedAttributes, ...(raw.sortBy ? [raw.sortBy] : [])]) {
    parseAttributePath(name, (detail) => ScimError.invalidValue(detail));
  }
  let sortOrder: SortOrder = "ascending";
  if (raw.sortOrder !== undefined) {
    const lower = raw.sortOrder.toLowerCase();
    if (lower !== "ascending" && lower !== "descending") {
      throw ScimError.invalidValue(`sortOrder must be "ascending" or "descending", not ${JSON.stringify(raw.sortOrder)}`);
    }
    sortOrder = lower;
  }
  const filter =
    raw.filter === undefined || raw.filter.trim() === ""
      ? undefined
      : parseFilter(raw.filter, config.filterLimits ?? DEFAULT_FILTER_LIMITS);
  const redacted = filter && mayNameNeverReturned(raw.filter as string) ? redactFilter(filter) : undefined;
  return {
    filter,
    filterText: redacted ? formatFilter(redacted) : raw.filter?.trim() || undefined,
    // RFC 7644 §3.4.2.4: startIndex < 1 is read as 1; a negative count as 0.
    startIndex: Math.max(1, raw.startIndex ?? 1),
    count: Math.min(config.maxCount, Math.max(0, raw.count ?? config.defaultCount)),
    sortBy: raw.sortBy,
    sortOrder,
    attributes: raw.attributes,
    excludedAttributes: raw.excludedAttributes,
  };
}

function parseInteger(name: string, value: string): number {
  const trimmed = value.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) throw ScimError.invalidValue(`${name} must be an integer, not ${JSON.stringify(value)}`);
  const number = Number(trimmed);
  return Number.isSafeInteger(number) ? number : Math.sign(number) * Number.MAX_SAFE_INTEGER;
}

function splitList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

export interface ListResponse<T> {
  readonly schemas: readonly [typeof SCHEMA.listResponse];
  readonly totalResults: number;
  readonly startIndex: number;
  readonly itemsPerPage: number;
  readonly Resources: readonly T[];
}

/**
 * RFC 7644 §3.4.2: `itemsPerPage` is the number of resources in this page, never the requested
 * count (a bug other servers shipped, INTEROP.md). `Resources` is always present, also when empty.
 */
export function listResponse<T>(
  resources: readonly T[],
  page: { readonly totalResults: number; readonly startIndex: number },
): ListResponse<T> {
  return {
    schemas: [SCHEMA.listResponse],
    totalResults: page.totalResults,
    startIndex: page.startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
