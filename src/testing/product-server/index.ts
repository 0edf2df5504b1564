/**
 * The product's server, several at once on one DATABASE_URL: for tests of N instances.
 * `startProductServer` runs the server `npm start` runs (node --import tsx src/server/http/main.ts
 * on a production build); `startWithNpmStart` runs `npm start` itself (scripts/start.ts: settings
 * check, migrations, the build check, then that server as its child).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
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

/** The pids of `pid`'s children (Linux /proc). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid …": comm may hold spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

export type NpmStartServer = ProductServer & {
  /** The pid of the web server scripts/start.ts started (the process that names itself in job leases). */
  serverPid: number;
};

/**
 * `npm start` (scripts/start.ts, run as npm's script does: tsx) on `port` with the current process's
 * settings. Build first (buildWhenStale with the same distDir): start rebuilds only when stale, and
 * several starts at once must not all build.
 */
export async function startWithNpmStart(options: { port: number; distDir: string; env?: Record<string, string> }): Promise<NpmStartServer> {
  const url = `http://127.0.0.1:${options.port}`;
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PORT: String(options.port),
      HOSTNAME: "127.0.0.1",
      APP_URL: url,
      NEXT_DIST_DIR: options.distDir,
      ...options.env,
    },
  });
  const output: string[] = [];
  child.stdout!.on("data", (d: Buffer) => output.push(d.toString()));
  child.stderr!.on("data", (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // start.ts says "ready" once its server answers /api/health.
  for (let i = 0; !output.join("").includes("[start] ready"); i++) {
    if (child.exitCode !== null) throw new Error(`npm start on port ${options.port} exited (${child.exitCode}):\n${output.join("")}`);
    if (i > 1500) throw new Error(`npm start on port ${options.port} did not get ready:\n${output.join("")}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  // Its children: the server, and esbuild's service (tsx).
  const serverPid = childrenOf(child.pid!).find((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("src/server/http/main.ts"));
  if (!serverPid) throw new Error(`npm start on port ${options.port}: no server process under pid ${child.pid}`);
  return {
    url,
    port: options.port,
    pid: child.pid!,
    serverPid,
    process: child,
    output,
    // SIGTERM: start.ts stops its server, then exits.
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
    // The server dies at once (SIGKILL, nothing flushed); start.ts notices and exits.
    kill: async () => {
      process.kill(serverPid, "SIGKILL");
      await exited;
    },
  };
}
