import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { newTenant } from "@/testing/factories/scim-export";

const run = promisify(execFile);
const tsx = path.resolve("node_modules/.bin/tsx");
const cli = (args: string[]) =>
  run(tsx, ["src/cli/main.ts", ...args], { env: { ...process.env }, timeout: 90_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout: string; stderr: string }) => ({ code: error.code ?? 1, stdout: error.stdout, stderr: error.stderr }),
  );

describe("audit CLI", () => {
  it(
    "records the CLI's changes as the operator CLI's, lists them with filters, and exports them as CSV",
    { timeout: 300_000 },
    async () => {
      // The tenant comes from the factory: each CLI process costs seconds on a loaded machine.
      const { slug } = await newTenant();
      const token = await cli(["scim-token:create", "--tenant", slug]);
      expect(token.code).toBe(0);
      const secret = token.stdout.trim().split("\n").at(-1)!;

      const listed = await cli(["audit:list", "--tenant", slug, "--since", "1h"]);
      expect(listed.code).toBe(0);
      const lines = listed.stdout
        .trim()
        .split("\n")
        .map((l) => l.split("\t"));
      expect(lines.map((l) => [l[1], l[2], l[3]])).toEqual([
        ["operator CLI", "scim_token.generated", expect.stringMatching(/^scim_token scim_/)],
      ]);
      expect(listed.stdout).not.toContain(secret);

      const filtered = await cli(["audit:list", "--tenant", slug, "--action", "member.invited"]);
      expect(filtered).toMatchObject({ code: 0, stdout: "" });

      // The same log as CSV, through the same filters as the console's download.
      const csv = await cli([
        "csv:export",
        "--tenant",
        slug,
        "--dataset",
        "audit",
        "--since",
        "1h",
        "--filter",
        "action=scim_token.generated",
      ]);
      expect(csv.code).toBe(0);
      const rows = csv.stdout.trim().split("\r\n");
      expect(rows[0]).toBe("time,who,action,object type,object id,object name,before,after,client address");
      expect(rows.slice(1).map((r) => r.split(",").slice(1, 3))).toEqual([["operator CLI", "scim_token.generated"]]);
      const unknown = await cli(["csv:export", "--tenant", slug, "--dataset", "audit", "--filter", "outcome=SUCCESS"]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain("outcome");
    },
  );
});
