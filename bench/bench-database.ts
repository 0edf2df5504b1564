/**
 * The throw-away PostgreSQL every benchmark runs on: an ephemeral embedded cluster with a migrated
 * `bench` database (and any other empty databases asked for), and the settings the server code
 * reads on first use, as in src/testing/vitest/test-database.ts.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { closeDatabase } from "../src/server/db";
import { migrateDatabase } from "../src/server/db/migrate";
import { startEmbeddedPostgres, withDatabase } from "../src/server/runtime/embedded-postgres";

export type BenchDatabase = {
  /** The migrated `bench` database. */
  url: string;
  /** The server, for `withDatabase(serverUrl, name)` of the other databases. */
  serverUrl: string;
  /** The cluster's folder (its postmaster.pid names the server process). */
  clusterDir: string;
  /** Closes this process's connections, then stops the server (which would cut them) and removes its files. */
  stop(): Promise<void>;
};

export async function startBenchDatabase(options: { otherDatabases?: string[] } = {}): Promise<BenchDatabase> {
  const parent = await mkdtemp(path.join(os.tmpdir(), "lc-bench-"));
  // As root, PostgreSQL runs as `postgres`: the cluster's parent must be traversable.
  await chmod(parent, 0o755);
  const clusterDir = path.join(parent, "pg");
  const server = await startEmbeddedPostgres({ clusterDir, password: "bench", ephemeral: true });
  const stop = async () => {
    await closeDatabase().catch(() => {});
    await server.stop().catch(() => {});
    await rm(parent, { recursive: true, force: true }).catch(() => {});
  };
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    for (const name of ["bench", ...(options.otherDatabases ?? [])]) await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = withDatabase(server.url, "bench");
    await migrateDatabase(url);
    process.env.DATABASE_URL = url;
    process.env.AUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-0";
    process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
    process.env.APP_URL ??= "http://127.0.0.1";
    return { url, serverUrl: server.url, clusterDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
