import { Prisma } from "@/generated/prisma/client";
import { serverEnv } from "../env";
import { sqlExecute } from "./sql";

/**
 * A connection string to the product's database with `schema` first on the search path, the
 * schema created if absent: for a library that opens its own connections from a URL (Jackson's
 * store, through TypeORM) and keeps its tables away from Prisma's migrations. Its connections
 * cannot be ours, so the URL is all db/ hands out.
 */
export async function databaseUrlInOwnSchema(schema: string): Promise<string> {
  // An identifier cannot be a statement parameter: only plain lowercase names get this far.
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Not a plain schema name: ${schema}`);
  await sqlExecute(Prisma.sql`CREATE SCHEMA IF NOT EXISTS ${Prisma.raw(schema)}`, { kind: "scan" });
  const url = new URL(serverEnv().DATABASE_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}
