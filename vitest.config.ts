import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * Two projects in one run: `unit` (pure code, `*.test.ts`) and `integration` (`*.int.test.ts`,
 * each file on its own fresh database cloned from a migrated template on a real PostgreSQL).
 */
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname, "src") } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "tests/**/*.test.ts", "bench/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          environment: "node",
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["src/**/*.int.test.ts", "tests/**/*.int.test.ts"],
          environment: "node",
          globalSetup: ["src/testing/vitest/global-postgres.ts"],
          setupFiles: ["src/testing/vitest/test-database.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
