/**
 * `npm start`: the whole product on one command. Uses DATABASE_URL when set, else an embedded
 * PostgreSQL in the data folder; applies pending migrations; builds the production bundle when
 * it is missing or stale; serves on PORT/HOSTNAME with the product's own server
 * (src/server/http/main.ts: Next behind the request checks); stops everything cleanly on
 * Ctrl-C/SIGTERM. `npm run dev` does the same with `next dev`.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";
import { migrateDatabase } from "../src/server/db/migrate";
import { InvalidEnvError, serverEnv } from "../src/server/env";
import { buildIsStale } from "../src/server/runtime/build-state";
import { dataDir } from "../src/server/runtime/data-dir";
import { acquireDatabase } from "../src/server/runtime/database";
import { applyEmbeddedDefaults } from "../src/server/runtime/embedded-defaults";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? "0.0.0.0";
const distDir = process.env.NEXT_DIST_DIR ?? ".next";
const root = process.cwd();
const nextBin = path.join(root, "node_modules/.bin/next");

function say(line: string) {
  console.log(`[start] ${line}`);
}

const embedded = !process.env.DATABASE_URL;
applyEmbeddedDefaults(port);

const database = await acquireDatabase((line) => process.env.DEBUG_POSTGRES && process.stderr.write(line));
process.env.DATABASE_URL = database.url;
say(`database: ${database.origin}${embedded ? ` (data in ${path.relative(root, dataDir()) || "."})` : ""}`);

let child: ChildProcess | undefined;
let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  if (child && child.exitCode === null) {
    child.kill("SIGTERM");
    await new Promise((resolve) => child?.once("exit", resolve));
  }
  await database.release();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

// The settings are checked for the server this starts (production unless --dev): some are refused in production only.
Object.assign(process.env, { NODE_ENV: dev ? "development" : "production" });
try {
  serverEnv();
} catch (error) {
  if (error instanceof InvalidEnvError) {
    console.error(error.message);
    await shutdown(1);
  }
  throw error;
}

const applied = await migrateDatabase(database.url);
say(applied.length ? `applied ${applied.length} migration(s): ${applied.join(", ")}` : "database schema is up to date");

if (!dev && buildIsStale(root, distDir)) {
  say("building the production bundle (first start or changed sources; this takes a minute or two)…");
  const build = spawnSync(nextBin, ["build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (build.status !== 0) {
    console.error("The build failed; see the output above.");
    await shutdown(1);
  }
}

const serverArgs = ["--import", "tsx", path.join(root, "src/server/http/main.ts"), ...(dev ? ["--dev"] : [])];
child = spawn(process.execPath, serverArgs, {
  stdio: ["ignore", "inherit", "inherit"],
  env: {
    ...process.env,
    PORT: String(port),
    HOSTNAME: hostname,
    NODE_ENV: dev ? "development" : "production",
    NEXTAUTH_URL: process.env.APP_URL,
    NEXTAUTH_SECRET: process.env.AUTH_SECRET,
  },
});
child.on("exit", (code) => void shutdown(code ?? 1));

await waitForHealth(`http://127.0.0.1:${port}/api/health`);
say(`ready: open ${process.env.APP_URL}`);
say(`first time? create your account and organisation at ${process.env.APP_URL}/sign-up`);

async function waitForHealth(url: string) {
  for (let i = 0; i < 600 && !stopping; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
