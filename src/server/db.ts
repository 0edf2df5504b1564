import { AsyncLocalStorage } from "node:async_hooks";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { closeConnections, pool } from "./db/connections";

/** A client or an interactive transaction: services accept either so they compose. */
export type DbTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

const globalForDb = globalThis as unknown as { prisma?: PrismaClient };

/** The transaction every db() call and SQL statement of the current async context runs on (see inTransactionScope). */
const ambient = new AsyncLocalStorage<DbTx>();

/**
 * Runs `fn` with every `db()` call, and every statement of ./db/sql.ts, on the transaction `tx`:
 * code written for autocommit (the export engine) runs unchanged inside one transaction, which
 * the caller may roll back (Preview sync). Interactive transactions have no `$transaction` of
 * their own: code run this way must not open one.
 */
export function inTransactionScope<T>(tx: DbTx, fn: () => Promise<T>): Promise<T> {
  return ambient.run(tx, fn);
}

/** The transaction of inTransactionScope, if the current async context runs in one. */
export const scopedTransaction = (): DbTx | undefined => ambient.getStore();

/**
 * The process's Prisma client, on pg's pool (./db/connections.ts). Statements written in SQL go
 * through ./db/sql.ts instead, which runs each where its kind says.
 */
export function db(): PrismaClient {
  const scoped = ambient.getStore();
  if (scoped) return scoped as PrismaClient;
  globalForDb.prisma ??= new PrismaClient({ adapter: new PrismaPg(pool()) });
  return globalForDb.prisma;
}

/**
 * Closes the process's connections: before stopping a database the process started itself (CLI,
 * benchmarks), whose server would otherwise cut them. Used again, they reopen.
 */
export async function closeDatabase(): Promise<void> {
  globalForDb.prisma = undefined;
  await closeConnections();
}
