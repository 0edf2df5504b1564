import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { closeConnections, pool } from "./db/connections";

export type Db = PrismaClient;
/** A client or an interactive transaction: services accept either so they compose. */
export type DbTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

const globalForDb = globalThis as unknown as { prisma?: PrismaClient };

/**
 * The process's Prisma client, on pg's pool (./db/connections.ts). Statements written in SQL go
 * through ./db/sql.ts instead, which runs each where its kind says.
 */
export function db(): PrismaClient {
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
