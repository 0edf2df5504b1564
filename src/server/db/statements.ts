import type pg from "pg";
import postgres from "postgres";

/**
 * Single autocommit statements of the hot paths (SCIM Import's token check, lookups, user writes,
 * provisioning events) on Postgres.js rather than pg. Postgres.js pipelines concurrent statements
 * on a few connections (PostgreSQL serves a burst from one busy backend instead of waking a pooled
 * one per statement), learns a statement's row description once instead of on every execution,
 * and sends a statement to the connection where it will be done soonest, so a slow one does not
 * hold up quick ones. `npm run bench:statements` (a lookup, 8 callers): 41–63 µs of Node CPU per
 * statement against 135 µs on pg's pool, and half again as many statements per second.
 *
 * Values and rows keep pg's conventions, so a statement reads back the same on either driver
 * (statements.int.test.ts compares them): JSON parameters as the text they are, int8 read as
 * bigint, json as parsed values, `timestamp` as a UTC Date. Transactions stay on pg's pool.
 */
export type StatementClient = {
  query(query: pg.QueryConfig): Promise<{ rows: unknown[]; rowCount: number }>;
  end(): Promise<void>;
};

/**
 * Two connections: quick statements have somewhere to go while one runs a slow statement; more
 * would spread a burst over backends again (with pg's pipeline mode, this client's predecessor,
 * bench:scim-import measured one, two and four alike).
 */
const CONNECTIONS = 2;

const TYPES = {
  bigint: { to: 20, from: [20], parse: (text: string) => BigInt(text) },
  // JSON parameters arrive serialized (db/sql.ts callers stringify them, as pg wants).
  json: {
    to: 114,
    from: [114, 3802],
    serialize: (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value)),
    parse: (text: string) => JSON.parse(text),
  },
};

export function createStatementClient(url: string, options: { idleConnectionMs: number }): StatementClient {
  const sql = postgres(url, { max: CONNECTIONS, idle_timeout: options.idleConnectionMs / 1000, onnotice: () => undefined, types: TYPES });
  return {
    async query({ text, values, name }) {
      // Named statements are prepared (their number is capped by the caller, db/sql.ts); others
      // are described, then run.
      const result = await sql.unsafe(text, (values ?? []) as postgres.ParameterOrJSON<never>[], { prepare: name !== undefined });
      return { rows: result, rowCount: result.count };
    },
    end: () => sql.end({ timeout: 5 }),
  };
}
