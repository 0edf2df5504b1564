import pg from "pg";
import { serverEnv } from "../env";
import { createStatementClient, type StatementClient } from "./statements";
import { errorFields, log } from "../observability/logger";

/**
 * The process's two ways to PostgreSQL, created on first use (never at import: `next build` has
 * no database): pg's pool (Prisma, transactions, scans) and the statement client (point
 * statements). Only db/ reaches them; everyone else states what a statement is (./sql.ts).
 */
const connections = globalThis as unknown as { pool?: pg.Pool; statements?: StatementClient };

/**
 * Idle connections are kept a few minutes, not pg's 10 seconds: a new one costs a SCRAM
 * handshake (thousands of PBKDF2 rounds on both sides) and re-preparing every statement, which a
 * burst of SCIM requests after a quiet spell paid on its first requests (bench:scim-import: the
 * p99 of a phase that started after a 20-second pause).
 */
const IDLE_CONNECTION_MS = 5 * 60_000;

function createPool(databaseUrl: string): pg.Pool {
  // allowExitOnIdle: kept connections never hold a finished script open.
  const created = new pg.Pool({ connectionString: databaseUrl, max: 20, idleTimeoutMillis: IDLE_CONNECTION_MS, allowExitOnIdle: true });
  // An idle connection the server closed (a restart, an administrator) is dropped by the pool and
  // replaced on demand; unheard, its 'error' event would end the process.
  created.on("error", (error) => log().warn(errorFields(error), "An idle database connection was closed"));
  return created;
}

/** pg's pool: Prisma runs on it, and so do scans (./sql.ts). */
export function pool(): pg.Pool {
  connections.pool ??= createPool(serverEnv().DATABASE_URL);
  return connections.pool;
}

/** Point statements run here (./statements.ts). */
export function statementClient(): StatementClient {
  connections.statements ??= createStatementClient(serverEnv().DATABASE_URL, { idleConnectionMs: IDLE_CONNECTION_MS });
  return connections.statements;
}

/** Closes both; used again, they reopen. */
export async function closeConnections(): Promise<void> {
  const { pool: open, statements } = connections;
  connections.pool = undefined;
  connections.statements = undefined;
  await Promise.all([statements?.end(), open?.end()]);
}
