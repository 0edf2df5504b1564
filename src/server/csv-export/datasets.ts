import { z } from "zod";
import { AUDIT_ACTION_NAMES } from "@/lib/audit-actions";
import { zOperationFilters } from "@/lib/validation/scim-export";
import { auditWhere } from "../audit/list";
import { db } from "../db";
import { AppError } from "../errors";
import { provisioningEventsWhere } from "../provisioning-events/list-events";
import { exportOperationsWhere } from "../scim-export/runs";
import { signInEventsWhere } from "../sso/sign-in-events";
import { csvStream, keysetPages } from "./stream";

/** What can be exported, each with the filters of its console page. */
export const CSV_DATASETS = ["events", "sign-ins", "audit", "operations"] as const;
export type CsvDataset = (typeof CSV_DATASETS)[number];

const zDate = z.coerce.date();
const zText = z.string().trim().max(200).optional();

const filterSchemas = {
  events: z.object({
    operation: zText,
    result: z.enum(["success", "failure"]).optional(),
    search: zText,
    from: zDate.optional(),
    to: zDate.optional(),
  }),
  "sign-ins": z.object({
    outcome: z.enum(["SUCCESS", "REFUSED"]).optional(),
    mode: z.enum(["PORTAL", "TEST"]).optional(),
    search: zText,
    from: zDate.optional(),
    to: zDate.optional(),
  }),
  audit: z.object({
    actor: zText,
    action: z.enum(AUDIT_ACTION_NAMES).optional(),
    object: zText,
    from: zDate.optional(),
    to: zDate.optional(),
  }),
  operations: zOperationFilters.extend({ profileId: z.uuid(), runId: z.uuid() }),
} as const;

/** Newest first by (at, id): the page after `after` in that order. */
// `at <= last` bounds the index scan (tenantId, at, id) where the page starts; the OR only sorts out
// the rows that share the last timestamp. Without the bound, each page scanned from the newest row.
const olderThan = (after: { at: Date; id: bigint } | null) =>
  after ? { at: { lte: after.at }, OR: [{ at: { lt: after.at } }, { id: { lt: after.id } }] } : {};
const newestFirst = [{ at: "desc" as const }, { id: "desc" as const }];

type EventCsvRow = {
  id: bigint;
  at: Date;
  method: string;
  path: string;
  operation: string;
  resourceType: string | null;
  resourceId: string | null;
  resourceName: string | null;
  status: number;
  durationMs: number;
  userAgent: string | null;
};
type SignInCsvRow = {
  id: bigint;
  at: Date;
  mode: string;
  email: string | null;
  profileName: string | null;
  outcome: string;
  reason: string | null;
  detail: string | null;
  ipAddress: string | null;
  userAgent: string | null;
};
type AuditCsvRow = {
  id: bigint;
  at: Date;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string | null;
  targetName: string | null;
  before: unknown;
  after: unknown;
  clientAddress: string | null;
};
type OperationCsvRow = {
  id: bigint;
  at: Date;
  objectType: string;
  name: string;
  action: string;
  result: string;
  remoteId: string | null;
  httpStatus: number | null;
  reason: string | null;
  changes: unknown;
};

type Export = { header: string[]; pages: AsyncGenerator<unknown[][]> };

async function* rowsOf<R extends { id: bigint }>(pages: AsyncGenerator<R[]>, toRow: (r: R) => unknown[]): AsyncGenerator<unknown[][]> {
  for await (const page of pages) yield page.map(toRow);
}

const exporters: { [D in CsvDataset]: (tenantId: string, filters: z.infer<(typeof filterSchemas)[D]>) => Export } = {
  events(tenantId, filters) {
    const where = provisioningEventsWhere({ tenantId, ...filters });
    return {
      header: ["time", "method", "path", "operation", "resource type", "resource id", "resource name", "status", "duration ms", "client"],
      pages: rowsOf(
        keysetPages<EventCsvRow>((after, take) =>
          db().provisioningEvent.findMany({
            where: { AND: [where, olderThan(after)] },
            orderBy: newestFirst,
            take,
            select: {
              id: true,
              at: true,
              method: true,
              path: true,
              operation: true,
              resourceType: true,
              resourceId: true,
              resourceName: true,
              status: true,
              durationMs: true,
              userAgent: true,
            },
          }),
        ),
        (r) => [r.at, r.method, r.path, r.operation, r.resourceType, r.resourceId, r.resourceName, r.status, r.durationMs, r.userAgent],
      ),
    };
  },
  "sign-ins"(tenantId, filters) {
    const where = signInEventsWhere({ tenantId, ...filters });
    return {
      header: ["time", "kind", "email", "profile", "outcome", "reason", "detail", "client address", "user agent"],
      pages: rowsOf(
        keysetPages<SignInCsvRow>((after, take) =>
          db().signInEvent.findMany({
            where: { AND: [where, olderThan(after)] },
            orderBy: newestFirst,
            take,
            select: {
              id: true,
              at: true,
              mode: true,
              email: true,
              profileName: true,
              outcome: true,
              reason: true,
              detail: true,
              ipAddress: true,
              userAgent: true,
            },
          }),
        ),
        (r) => [
          r.at,
          r.mode === "TEST" ? "admin test" : "user sign-in",
          r.email,
          r.profileName,
          r.outcome,
          r.reason,
          r.detail,
          r.ipAddress,
          r.userAgent,
        ],
      ),
    };
  },
  audit(tenantId, filters) {
    const where = auditWhere(tenantId, filters);
    return {
      header: ["time", "who", "action", "object type", "object id", "object name", "before", "after", "client address"],
      pages: rowsOf(
        keysetPages<AuditCsvRow>((after, take) =>
          db().auditEntry.findMany({
            where: { AND: [where, olderThan(after)] },
            orderBy: newestFirst,
            take,
            select: {
              id: true,
              at: true,
              actorLabel: true,
              action: true,
              targetType: true,
              targetId: true,
              targetName: true,
              before: true,
              after: true,
              clientAddress: true,
            },
          }),
        ),
        (r) => [r.at, r.actorLabel, r.action, r.targetType, r.targetId, r.targetName, r.before, r.after, r.clientAddress],
      ),
    };
  },
  operations(tenantId, { profileId, ...filters }) {
    const where = exportOperationsWhere({ tenantId, profileId, filters });
    return {
      header: ["time", "object type", "name", "action", "result", "target id", "http status", "reason", "changes"],
      // A run's operations in the order they happened.
      pages: rowsOf(
        keysetPages<OperationCsvRow>((after, take) =>
          db().exportOperation.findMany({
            where: { AND: [where, after ? { id: { gt: after.id } } : {}] },
            orderBy: { id: "asc" },
            take,
            select: {
              id: true,
              at: true,
              objectType: true,
              name: true,
              action: true,
              result: true,
              remoteId: true,
              httpStatus: true,
              reason: true,
              changes: true,
            },
          }),
        ),
        (r) => [r.at, r.objectType, r.name, r.action, r.result, r.remoteId, r.httpStatus, r.reason, r.changes],
      ),
    };
  },
};

/**
 * The CSV of one dataset of the tenant, with the page's filters (`params`: the query string's
 * values, as the console's download link or the CLI gives them). Bad filters are a BAD_REQUEST
 * naming the parameter.
 */
export function exportCsv(options: { tenantId: string; dataset: CsvDataset; params: Record<string, string | undefined> }): {
  filename: string;
  stream: ReadableStream<Uint8Array>;
} {
  // Strict: a filter this dataset does not have is refused, never silently ignored.
  const schema = filterSchemas[options.dataset].strict();
  const present = Object.fromEntries(Object.entries(options.params).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = issue.code === "unrecognized_keys" ? issue.keys.join(", ") : String(issue.path[0] ?? "filter");
    throw new AppError("BAD_REQUEST", `${name}: ${issue.message}`);
  }
  const exporter = exporters[options.dataset] as (tenantId: string, filters: unknown) => Export;
  const { header, pages } = exporter(options.tenantId, parsed.data);
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return { filename: `${options.dataset}-${stamp}.csv`, stream: csvStream(header, pages) };
}

export function isCsvDataset(value: string): value is CsvDataset {
  return (CSV_DATASETS as readonly string[]).includes(value);
}
