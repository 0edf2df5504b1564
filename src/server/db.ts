import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { serverEnv } from "./env";

export type Db = PrismaClient;
/** A client or an interactive transaction: services accept either so they compose. */
export type DbTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

const globalForDb = globalThis as unknown as { prisma?: PrismaClient };

export function createDb(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: 20 }) });
}

/** The process's client, created on first use (never at import: `next build` has no database). */
export function db(): PrismaClient {
  globalForDb.prisma ??= createDb(serverEnv().DATABASE_URL);
  return globalForDb.prisma;
}
