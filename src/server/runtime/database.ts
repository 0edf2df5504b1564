import path from "node:path";
import { dataDir } from "./data-dir";
import { findRunningPostgres, startEmbeddedPostgres } from "./embedded-postgres";
import { loadOrCreateLocalSecrets } from "./local-secrets";

export type DatabaseHandle = {
  url: string;
  /** Where the URL came from, for the start-up banner. */
  origin: "DATABASE_URL" | "embedded (already running)" | "embedded (started)";
  /** Stops the server if this process started it; otherwise does nothing. */
  release: () => Promise<void>;
};

/**
 * The database this process should use: `DATABASE_URL` when set; otherwise the embedded
 * PostgreSQL in the data folder, joining the server that is already running on it (the CLI
 * beside `npm start`) or starting it.
 */
export async function acquireDatabase(log?: (line: string) => void): Promise<DatabaseHandle> {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, origin: "DATABASE_URL", release: async () => {} };
  }
  const dir = dataDir();
  const clusterDir = path.join(dir, "postgres");
  const { postgresPassword } = loadOrCreateLocalSecrets(dir);
  const running = findRunningPostgres(clusterDir, postgresPassword);
  if (running) return { url: running, origin: "embedded (already running)", release: async () => {} };
  const started = await startEmbeddedPostgres({ clusterDir, password: postgresPassword, log });
  return { url: started.url, origin: "embedded (started)", release: started.stop };
}
