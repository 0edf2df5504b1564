import { createHash } from "node:crypto";
import pg from "pg";
import type { Prisma } from "@/generated/prisma/client";
import { scopedTransaction, type DbTx } from "../db";
import { pool, statementClient } from "./connections";

/**
 * Plain SQL: every statement written in SQL rather than through Prisma's model API runs here, and
 * what the statement is, not its caller, decides the driver:
 *   - in a transaction (`tx`), on that transaction's connection, whatever its kind;
 *   - a "point" statement (one autocommit statement whose cost does not grow with the tenant: a
 *     lookup by key, a write of a few rows, a page bounded by remembered keys) on the statement
 *     client (./statements.ts, Postgres.js), where Prisma's own cost per query (about 0.2 ms of CPU
 *     against 0.05 ms; bench:scim-import) would be most of a SCIM request;
 *   - a "scan" (a count, an OFFSET page, a pass over every user of a tenant) on pg's pool, so that
 *     a slow statement never holds up the point statements' two connections.
 * Queries are `Prisma.sql` fragments, and rows read back the same on every path (timestamps as UTC
 * Dates, int8 as bigint, json parsed: statements.int.test.ts compares them), so a statement can
 * change kind without its caller noticing.
 */
export type StatementKind = "point" | "scan";
export type RunOn = { kind: StatementKind; tx?: DbTx };

type Runner = { query(query: pg.QueryConfig): Promise<{ rows: unknown[]; rowCount: number | null }> };

const RUNNERS: Record<StatementKind, () => Runner> = { point: statementClient, scan: pool };

const TIMESTAMP = 1114; // timestamp without time zone: Prisma stores UTC wall time there
const INT8 = 20;

const parseTimestamp = (text: string) => new Date(`${text.replace(" ", "T")}Z`);
const parseInt8 = (text: string) => BigInt(text);

const types = {
  getTypeParser: (oid: number, format?: "text" | "binary") => {
    if (oid === TIMESTAMP) return parseTimestamp;
    if (oid === INT8) return parseInt8;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/**
 * Statement texts are prepared once per connection under a name, so PostgreSQL skips parsing and
 * planning them again (bench:scim-import lookups: ~25 % more per second). Clients' filters can
 * produce any number of shapes: past this many distinct texts, statements run unnamed.
 */
const MAX_NAMED_STATEMENTS = 300;
const MAX_NAMED_TEXT = 16_000;
const statementNames = new Map<string, string>();

/**
 * The name is a digest of the text, not a counter: the pool is shared through globalThis by every
 * copy of this module in the process (the product's server loads one, Next's bundle another), and
 * two counters would give one name to two texts on one connection ("Prepared statements must be unique").
 */
function statementName(text: string): string | undefined {
  const known = statementNames.get(text);
  if (known || statementNames.size >= MAX_NAMED_STATEMENTS || text.length > MAX_NAMED_TEXT) return known;
  const name = `lc_${createHash("sha256").update(text).digest("base64url").slice(0, 24)}`;
  statementNames.set(text, name);
  return name;
}

/** Dates as ISO UTC strings: a `timestamp` column keeps the wall time, as Prisma writes it. */
function parameter(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

function config(query: Prisma.Sql): pg.QueryConfig {
  const text = query.text;
  return { name: statementName(text), text, values: query.values.map(parameter), types };
}

/** The rows of `query`, run where its kind (or the transaction) says. */
export async function sqlRows<T>(query: Prisma.Sql, on: RunOn): Promise<T[]> {
  const tx = on.tx ?? scopedTransaction();
  if (tx) return tx.$queryRaw<T[]>(query);
  const result = await RUNNERS[on.kind]().query(config(query));
  return result.rows as T[];
}

/** The number of rows `query` wrote, run where its kind (or the transaction) says. */
export async function sqlExecute(query: Prisma.Sql, on: RunOn): Promise<number> {
  const tx = on.tx ?? scopedTransaction();
  if (tx) return tx.$executeRaw(query);
  const result = await RUNNERS[on.kind]().query(config(query));
  return result.rowCount ?? 0;
}
