import { execFile } from "node:child_process";
import { chmod, mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireDatabase, type DatabaseHandle } from "@/server/runtime/database";
import { migrateDatabase } from "@/server/db/migrate";

const run = promisify(execFile);
const tsx = path.resolve("node_modules/.bin/tsx");

function cli(args: string[], env: Record<string, string | undefined>) {
  return run(tsx, ["src/cli/main.ts", ...args], { env: { ...process.env, ...env }, timeout: 60_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout: string; stderr: string }) => ({ code: error.code ?? 1, stdout: error.stdout, stderr: error.stderr }),
  );
}
const lastLine = (s: string) => s.trim().split("\n").at(-1);

describe("operator CLI against DATABASE_URL", () => {
  it("creates a tenant and prints its slug last; lists it; refuses bad arguments with a message", async () => {
    const created = await cli(
      [
        "tenant:create",
        "--slug",
        "cli-acme",
        "--name",
        "CLI Acme",
        "--owner-email",
        "ops@cli.test",
        "--owner-password",
        "mauve kettle drifts north",
      ],
      {},
    );
    expect(created.code).toBe(0);
    expect(lastLine(created.stdout)).toBe("cli-acme");

    const listed = await cli(["tenant:list"], {});
    expect(listed.stdout.split("\n").some((l) => l.startsWith("cli-acme\t"))).toBe(true);

    const taken = await cli(["tenant:create", "--slug", "cli-acme", "--name", "Again", "--owner-email", "ops@cli.test"], {});
    expect(taken.code).not.toBe(0);
    expect(taken.stderr).toContain("is taken");

    const missing = await cli(["tenant:create", "--slug", "x1"], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Missing --name, --owner-email");

    const badSlug = await cli(
      ["tenant:create", "--slug", "Bad Slug!", "--name", "N", "--owner-email", "a@b.test", "--owner-password", "mauve kettle drifts north"],
      {},
    );
    expect(badSlug.code).toBe(2);
    expect(badSlug.stderr).toContain("--slug");

    const unknown = await cli(["nope"], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "nope"');
    // Six CLI processes, each compiling the CLI with tsx: minutes on a busy 2-core machine.
  }, 120_000);
});

describe("operator CLI on the embedded default", () => {
  let dataDir: string;
  let server: DatabaseHandle | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "lc-cli-"));
    await chmod(dataDir, 0o755);
  });
  afterAll(async () => {
    await server?.release();
  });

  it("starts the embedded database itself when the server is down, and joins it when the server is up", async () => {
    const env = { DATABASE_URL: "", DATA_DIR: dataDir };
    // Server down: the CLI starts PostgreSQL on the data folder, migrates nothing (fresh), and stops it.
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = "";
    process.env.DATA_DIR = dataDir;
    try {
      server = await acquireDatabase();
      expect(server.origin).toBe("embedded (started)");
      await migrateDatabase(server.url);
      await server.release();
      server = undefined;

      const down = await cli(
        [
          "tenant:create",
          "--slug",
          "down",
          "--name",
          "Down",
          "--owner-email",
          "d@cli.test",
          "--owner-password",
          "mauve kettle drifts north",
        ],
        env,
      );
      expect(down.code, down.stderr).toBe(0);
      expect(lastLine(down.stdout)).toBe("down");

      // Server up (this process holds the database, as `npm start` would): the CLI joins it.
      server = await acquireDatabase();
      expect(server.origin).toBe("embedded (started)");
      const up = await cli(["tenant:list"], env);
      expect(up.code, up.stderr).toBe(0);
      expect(up.stdout).toContain("down\tDown");
      const again = await acquireDatabase();
      expect(again.origin).toBe("embedded (already running)");
    } finally {
      process.env.DATABASE_URL = saved;
      delete process.env.DATA_DIR;
    }
  });
});
