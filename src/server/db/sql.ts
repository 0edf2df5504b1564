import pg from "pg";
import type { Prisma } from "@/generated/prisma/client";
import { pool, statementClient } from "../db";

/**
 * Plain SQL for the few request paths where Prisma's own cost per query (about 0.2 ms of CPU
 * against 0.05 ms for pg; bench:scim-import) is most of the request: SCIM Import's token check,
 * lookups, lists and user writes. Queries are the same `Prisma.sql` fragments the rest of the code
 * builds, and rows read back exactly as `$queryRaw` returns them (timestamps as UTC Dates, int8 as
 * bigint, json parsed), so callers can move between the two. A statement runs on the statement
 * client (./statements.ts, Postgres.js) unless the caller names a runner: pg's pool for statements
 * whose cost grows with a tenant's size (counts, OFFSET pages, a pass over every user), a
 * transaction's client for its statements.
 */
export type SqlRunner = { query(query: pg.QueryConfig): Promise<{ rows: unknown[]; rowCount: number | null }> };

/** Where a statement runs when the caller names no runner (./statements.ts). */
const statements: SqlRunner = { query: (query) => statementClient().query(query) };

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

function statementName(text: string): string | undefined {
  const known = statementNames.get(text);
  if (known || statementNames.size >= MAX_NAMED_STATEMENTS || text.length > MAX_NAMED_TEXT) return known;
  const name = `lc_${statementNames.size}`;
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

/** The rows of `query`. */
export async function sqlRows<T>(query: Prisma.Sql, runner: SqlRunner = statements): Promise<T[]> {
  const result = await runner.query(config(query));
  return result.rows as T[];
}

/** The number of rows `query` wrote. */
export async function sqlExecute(query: Prisma.Sql, runner: SqlRunner = statements): Promise<number> {
  const result = await runner.query(config(query));
  return result.rowCount ?? 0;
}

/** Runs `fn` in a transaction on one connection: committed when it resolves, rolled back when it throws. */
export async function sqlTransaction<T>(fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool().connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
