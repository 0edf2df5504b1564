/**
 * ESLint: Next's rules (React, hooks, Core Web Vitals), typescript-eslint's recommended rules, and
 * the import boundaries that keep the layers apart. `npm run lint`; `npm test` runs it first.
 *
 * typescript-eslint needs TypeScript's compiler API, which TypeScript 7 no longer ships: the
 * `typescript` package here is TypeScript 6 (package.json aliases it), `tsc` is TypeScript 7.
 */
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";
import { defineConfig, globalIgnores } from "eslint/config";

/** The files eslint-config-next lints (its React plugin is defined for these only). */
const NEXT_FILES = ["**/*.{js,jsx,mjs,ts,tsx,mts,cts}"];
const SERVICE_INSTEAD = "call a service in src/server/<area> (through tRPC from the browser) instead.";
/** The database layer and Prisma's generated client, as pages and components would import them (enums are plain values, allowed). */
const DATABASE_FROM_UI = [
  { regex: "^(@/|(\\.\\./)+)server/db(/|$)", message: `Pages and components do not reach the database: ${SERVICE_INSTEAD}` },
  { regex: "^(@/generated/prisma/client|@prisma/client)(/|$)", message: `Prisma's client is the server's: ${SERVICE_INSTEAD}` },
];

export default defineConfig([
  globalIgnores([
    "src/generated/**",
    ".next/**",
    ".next-*/**",
    ".data/**",
    ".data-*/**",
    "test-results/**",
    "playwright-report/**",
    "next-env.d.ts",
  ]),
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    name: "project/rules",
    files: NEXT_FILES,
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // An unused variable is a leftover or a bug; `_name` marks one kept on purpose (a required parameter).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
      "@typescript-eslint/no-unused-expressions": "error",
      // `let x;` assigned once later stays `let` when a function declared before the assignment reads it (a `const` would throw there).
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      // A missing dependency is a stale value (Next's default only warns); an intended omission says why in a disable comment.
      "react-hooks/exhaustive-deps": "error",
      // A stray `>` or `}` in JSX text is usually a typo; an apostrophe is just text.
      "react/no-unescaped-entities": ["error", { forbid: [">", "}"] }],
      // The one reader of settings is src/server/env.ts: a setting read elsewhere escapes its validation and its error message.
      "no-process-env": "error",
    },
  },
  {
    name: "project/tests-and-tools",
    // Tests and benchmarks read JSON answers field by field: typing each reply would add nothing they check.
    files: ["src/testing/**", "tests/**", "e2e/**", "bench/**", "**/*.test.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    name: "project/react-compiler-advice",
    // The React Compiler's rules: they point at code the compiler could not memoize. The console does not run the
    // compiler, so they are advice (warnings) rather than failures; rules-of-hooks and exhaustive-deps stay errors.
    files: ["src/app/**", "src/components/**"],
    rules: {
      "react-hooks/incompatible-library": "warn",
      "react-hooks/set-state-in-effect": "warn",
      "react-hooks/refs": "warn",
      "react-hooks/purity": "warn",
    },
  },
  {
    name: "project/settings-readers",
    // env.ts validates the settings; runtime/ and the CLI's entry fill the embedded defaults (database URL, secrets)
    // in before env.ts reads them; instrumentation.ts reads Next's own NEXT_RUNTIME and NEXT_PHASE; the rest run
    // outside the product (tools, tests, benchmarks, configuration).
    files: [
      "src/server/env.ts",
      "src/server/runtime/**",
      "src/cli/main.ts",
      "src/instrumentation.ts",
      "src/testing/**",
      "scripts/**",
      "tests/**",
      "e2e/**",
      "bench/**",
      "**/*.test.ts",
      "*.config.{ts,mjs,cjs}",
    ],
    rules: { "no-process-env": "off" },
  },
  {
    name: "project/boundaries: pages and components reach the server through tRPC or services",
    files: ["src/app/**", "src/components/**"],
    rules: { "no-restricted-imports": ["error", { patterns: DATABASE_FROM_UI }] },
  },
  {
    name: "project/boundaries: SCIM Import translates the protocol and calls the directory",
    files: ["src/server/scim-import/**"],
    ignores: ["src/server/scim-import/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(@/server/|(\\.\\./)+)db(/|$)",
              message: "SCIM Import does not touch the database: the directory (src/server/directory) owns users, groups and their SQL.",
            },
          ],
        },
      ],
    },
  },
  {
    name: "project/boundaries: lib/ is shared with the browser",
    files: ["src/lib/**"],
    rules: {
      // A type-only import is erased from the bundle (the tRPC router's type is how the browser knows the API).
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(@/server|(\\.\\./)+server)(/|$)",
              allowTypeImports: true,
              message: "src/lib is bundled for the browser: move what both sides need into src/lib instead of importing server code.",
            },
          ],
        },
      ],
    },
  },
  {
    name: "project/boundaries: db/ picks the driver",
    files: NEXT_FILES,
    ignores: [
      "src/server/db/**",
      // Tests may write states the product never would (a moved table, a row aged by hand) straight to the database.
      "src/testing/**",
      "tests/**",
      "**/*.test.ts",
    ],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[property.name=/^\\$(queryRaw|executeRaw)(Unsafe)?$/]",
          message:
            'Plain SQL runs through src/server/db/sql.ts: sqlRows/sqlExecute(query, { kind: "point" | "scan", tx }) pick the driver from the statement\'s kind.',
        },
      ],
    },
  },
]);
