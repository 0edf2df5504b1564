/**
 * `npm test`: the static checks (types, lint), then every test: Vitest (unit + integration on a
 * real PostgreSQL), then Playwright end-to-end against the production build in Chromium. A failed
 * check fails the run, but the tests still run so that one run reports everything. Ends with one
 * summary line.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

ensureChromium();
mkdirSync("test-results", { recursive: true });
rmSync("test-results/vitest.json", { force: true });
rmSync("test-results/playwright.json", { force: true });

/** The e2e tests drive Debian's Chromium; on a fresh Debian machine where we are root, install it. */
function ensureChromium() {
  const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (process.argv.includes("--no-e2e") || existsSync(path)) return;
  if (process.getuid?.() !== 0) {
    console.error(`Chromium is missing at ${path}. Install it (Debian: sudo apt-get install -y chromium) or set CHROMIUM_PATH.`);
    process.exit(1);
  }
  console.log("Installing Debian's Chromium for the end-to-end tests…");
  spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
  spawnSync("apt-get", ["install", "-y", "-qq", "chromium"], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}

function run(command: string, args: string[]) {
  console.log(`\n$ ${command} ${args.join(" ")}`);
  return spawnSync(command, args, { stdio: "inherit", env: process.env }).status ?? 1;
}

/** Prettier's check joins the static checks once the whole tree has been formatted (`npm run format`). */
const CHECK_FORMAT = true;
const checks = ["typecheck", "lint", ...(CHECK_FORMAT ? ["format:check"] : [])];
const failedChecks = checks.filter((script) => run("npm", ["run", "--silent", script]) !== 0);

const vitest = run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", "--outputFile.json=test-results/vitest.json"]);
const playwright = process.argv.includes("--no-e2e") ? 0 : run("npx", ["playwright", "test"]);

function readJson(file: string): Record<string, unknown> | null {
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null;
}
const v = readJson("test-results/vitest.json") as { numPassedTests?: number; numFailedTests?: number; numPendingTests?: number } | null;
const p = readJson("test-results/playwright.json") as {
  stats?: { expected?: number; unexpected?: number; flaky?: number; skipped?: number };
} | null;
const passed = (v?.numPassedTests ?? 0) + (p?.stats?.expected ?? 0) + (p?.stats?.flaky ?? 0);
const failed = failedChecks.length + (v?.numFailedTests ?? 0) + (p?.stats?.unexpected ?? 0);
const skipped = (v?.numPendingTests ?? 0) + (p?.stats?.skipped ?? 0);
console.log(
  `\nchecks: ${failedChecks.length ? `${failedChecks.join(", ")} failed` : "passed"}; vitest: exit ${vitest}; playwright: exit ${playwright}`,
);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedChecks.length > 0 || vitest !== 0 || playwright !== 0 || failed > 0 ? 1 : 0);
