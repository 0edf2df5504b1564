import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDatabricksEmulator, type DatabricksEmulator } from "@/testing/databricks-emulator";
import { newConfiguredProfile, newGroupWithUsers, newTenant } from "@/testing/factories/scim-export";

const run = promisify(execFile);
const tsx = path.resolve("node_modules/.bin/tsx");
const cli = (args: string[]) =>
  run(tsx, ["src/cli/main.ts", ...args], { env: { ...process.env }, timeout: 90_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout: string; stderr: string }) => ({ code: error.code ?? 1, stdout: error.stdout, stderr: error.stderr }),
  );
const lastLine = (s: string) => s.trim().split("\n").at(-1)!;

let emulator: DatabricksEmulator;
beforeAll(async () => {
  emulator = await startDatabricksEmulator();
});
afterAll(() => emulator.stop());

describe("export CLI", () => {
  it("creates a profile, syncs it with --wait, lists profiles and runs", { timeout: 180_000 }, async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 3, "CLI Data");
    const created = await cli([
      "export:create",
      "--tenant",
      tenant.slug,
      "--name",
      "DBX",
      "--url",
      emulator.workspaceUrl,
      "--token",
      emulator.token,
      "--groups",
      "CLI Data",
    ]);
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const id = lastLine(created.stdout);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const synced = await cli(["export:sync", "--tenant", tenant.slug, "--profile", "dbx", "--wait"]);
    expect(synced.code).toBe(0);
    expect(synced.stdout).toContain("user.created.success=3");
    expect(users.every((u) => emulator.userByName(u.userName))).toBe(true);
    expect(emulator.groupByName(group.displayName)!.members).toHaveLength(3);

    expect((await cli(["export:list", "--tenant", tenant.slug])).stdout).toContain(`${id}\tDBX\tDATABRICKS\tHEALTHY`);
    expect((await cli(["export:runs", "--tenant", tenant.slug, "--profile", id])).stdout).toContain("MANUAL\tSUCCEEDED");

    const bad = await cli(["export:create", "--tenant", tenant.slug, "--name", "Bad", "--url", emulator.workspaceUrl, "--token", "wrong"]);
    expect(bad.code).toBe(0);
    const failed = await cli(["export:sync", "--tenant", tenant.slug, "--profile", "Bad", "--wait"]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/FAILED: .*401/);
  });

  it("export:sync --dry-run prints what a sync would change, exits 0, and the target sees only reads", { timeout: 120_000 }, async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 2);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });
    emulator.requests = [];
    const preview = await cli(["export:sync", "--tenant", tenant.slug, "--profile", profileId, "--dry-run"]);
    expect(preview.stderr).toBe("");
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain("DRY RUN");
    expect(preview.stdout).toContain("users: created=2 ");
    expect(preview.stdout).toContain("memberships: added=2 removed=0");
    expect(emulator.requests.length).toBeGreaterThan(0);
    expect(emulator.requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(users.some((u) => emulator.userByName(u.userName))).toBe(false);
  });
});
