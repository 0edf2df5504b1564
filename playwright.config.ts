import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://localhost:${PORT}`;

/**
 * End-to-end tests against the production build (`npm start` builds it when stale) on a fresh
 * embedded PostgreSQL, in Debian's Chromium (Playwright's own browser download is not available here).
 */
export default defineConfig({
  // The product's flows, and the browser half of the security suite beside its integration tests.
  testDir: ".",
  testMatch: ["e2e/**/*.spec.ts", "tests/security/**/*.spec.ts"],
  outputDir: `test-results/e2e-${PORT}`,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"], ["json", { outputFile: process.env.PLAYWRIGHT_JSON ?? "test-results/playwright.json" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    // Needs the fresh database to hold no account yet, so it runs before everything else.
    { name: "first-visit", testMatch: "e2e/first-visit.spec.ts", use: { ...devices["Desktop Chrome"], channel: undefined } },
    {
      name: "chromium",
      testIgnore: "e2e/first-visit.spec.ts",
      dependencies: ["first-visit"],
      use: { ...devices["Desktop Chrome"], channel: undefined },
    },
  ],
  webServer: {
    // A fresh data folder per port: several checkouts or engineers can run e2e side by side
    // (give each its own E2E_PORT and NEXT_DIST_DIR).
    command: `rm -rf .data-e2e-${PORT} && DATA_DIR=.data-e2e-${PORT} PORT=${PORT} HOSTNAME=127.0.0.1 APP_URL=${baseURL} ALLOW_PRIVATE_TARGETS=true npx tsx scripts/start.ts`,
    url: `${baseURL}/api/health`,
    timeout: 480_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: { DATABASE_URL: "" },
  },
});
