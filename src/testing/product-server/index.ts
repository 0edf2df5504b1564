/**
 * The product's server as `npm start` runs it (node --import tsx src/server/http/main.ts on a
 * production build), several at once on one DATABASE_URL: for tests of N instances. scripts/start.ts
 * adds the embedded database, migrations and the build, which the caller has done once for all.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";
import { buildIsStale } from "@/server/runtime/build-state";

export type ProductServer = {
  url: string;
  port: number;
  pid: number;
  process: ChildProcess;
  output: string[];
  stop: () => Promise<void>;
  kill: () => Promise<void>;
};

/** Builds the production bundle into `distDir` when it is missing or older than the sources (a few minutes). */
export function buildWhenStale(distDir: string): void {
  const root = process.cwd();
  if (!buildIsStale(root, distDir)) return;
  const build = spawnSync(path.join(root, "node_modules/.bin/next"), ["build"], {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_DIST_DIR: distDir },
  });
  if (build.status !== 0) throw new Error(`next build into ${distDir} failed (exit ${build.status}); see the output above.`);
}

/** Starts one server on `port` with the current process's settings (DATABASE_URL, secrets) and waits for /api/health. */
export async function startProductServer(options: { port: number; distDir: string; env?: Record<string, string> }): Promise<ProductServer> {
  const url = `http://127.0.0.1:${options.port}`;
  const child = spawn(process.execPath, ["--import", "tsx", "src/server/http/main.ts"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(options.port),
      HOSTNAME: "127.0.0.1",
      APP_URL: url,
      NEXTAUTH_URL: url,
      NEXTAUTH_SECRET: process.env.AUTH_SECRET,
      NEXT_DIST_DIR: options.distDir,
      ...options.env,
    },
  });
  const output: string[] = [];
  child.stdout!.on("data", (d: Buffer) => output.push(d.toString()));
  child.stderr!.on("data", (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`The server on port ${options.port} exited (${child.exitCode}):\n${output.join("")}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error(`The server on port ${options.port} did not answer /api/health:\n${output.join("")}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port: options.port,
    pid: child.pid!,
    process: child,
    output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
    kill: async () => {
      child.kill("SIGKILL");
      await exited;
    },
  };
}
