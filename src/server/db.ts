import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/generated/prisma/client";
import { createStatementClient, type StatementClient } from "./db/statements";
import { serverEnv } from "./env";

export type Db = PrismaClient;
/** A client or an interactive transaction: services accept either so they compose. */
export type DbTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

const globalForDb = globalThis as unknown as { prisma?: PrismaClient; pool?: pg.Pool; statements?: StatementClient };

/**
 * Idle connections are kept a few minutes, not pg's 10 seconds: a new one costs a SCRAM
 * handshake (thousands of PBKDF2 rounds on both sides) and re-preparing every statement, which a
 * burst of SCIM requests after a quiet spell paid on its first requests (bench:scim-import: the
 * p99 of a phase that started after a 20-second pause).
 */
const IDLE_CONNECTION_MS = 5 * 60_000;

export function createPool(databaseUrl: string): pg.Pool {
  // allowExitOnIdle: kept connections never hold a finished script open.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 20, idleTimeoutMillis: IDLE_CONNECTION_MS, allowExitOnIdle: true });
  // An idle connection the server closed (a restart, an administrator) is dropped by the pool and
  // replaced on demand; unheard, its 'error' event would end the process.
  pool.on("error", (error) => console.error("An idle database connection was closed:", error.message));
  return pool;
}

export function createDb(databaseUrlOrPool: string | pg.Pool): PrismaClient {
  const pool = typeof databaseUrlOrPool === "string" ? createPool(databaseUrlOrPool) : databaseUrlOrPool;
  return new PrismaClient({ adapter: new PrismaPg(pool) });
}

/**
 * The process's connection pool, created on first use (never at import: `next build` has no
 * database). Prisma runs on it, and so do plain SQL transactions, list pages and counts
 * (./db/sql.ts); the hot paths' single statements have two connections of their own (statementClient).
 */
export function pool(): pg.Pool {
  globalForDb.pool ??= createPool(serverEnv().DATABASE_URL);
  return globalForDb.pool;
}

/** The process's Prisma client, on `pool()`. */
export function db(): PrismaClient {
  globalForDb.prisma ??= createDb(pool());
  return globalForDb.prisma;
}

/** Single autocommit statements of the hot paths run here (./db/statements.ts). */
export function statementClient(): StatementClient {
  globalForDb.statements ??= createStatementClient(serverEnv().DATABASE_URL, { idleConnectionMs: IDLE_CONNECTION_MS });
  return globalForDb.statements;
}

/**
 * Closes the process's connections: before stopping a database the process started itself (CLI,
 * benchmarks), whose server would otherwise cut them. Used again, they reopen.
 */
export async function closeDatabase(): Promise<void> {
  const { pool, statements } = globalForDb;
  globalForDb.pool = undefined;
  globalForDb.statements = undefined;
  globalForDb.prisma = undefined;
  await Promise.all([statements?.end(), pool?.end()]);
}
