import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../../server/db/migrate";
import { startEmbeddedPostgres, withDatabase } from "../../server/runtime/embedded-postgres";

export const TEMPLATE_DATABASE = "app_template";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/** One throw-away PostgreSQL for the run, with a migrated template database to clone per test file. */
export default async function setup(project: TestProject) {
  const clusterDir = path.join(await mkdtemp(path.join(os.tmpdir(), "lc-test-pg-")), "pg");
  // The cluster runs as the `postgres` user when we are root: its parent must be traversable.
  await import("node:fs/promises").then((fs) => fs.chmod(path.dirname(clusterDir), 0o755));
  const server = await startEmbeddedPostgres({ clusterDir, password: "test", ephemeral: true });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.end();
  await migrateDatabase(withDatabase(server.url, TEMPLATE_DATABASE));
  project.provide("postgresUrl", server.url);
  return async () => {
    await server.stop();
  };
}
