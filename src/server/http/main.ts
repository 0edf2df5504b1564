/**
 * The product's server process: Next (and SCIM Import's own handler for /api/scim/v2/…) behind
 * the request steps of ./server.ts, on PORT and HOSTNAME. scripts/start.ts runs it
 * (`node --import tsx src/server/http/main.ts [--dev]`) once the database is ready; `--dev`
 * serves with `next dev`. Next still runs instrumentation's register() (the in-process job
 * runner) when it prepares.
 */
import { once } from "node:events";
import next from "next";
import { listenAddress, serverEnv } from "../env";
import { DEFAULT_SCIM_IMPORT_CONFIG } from "../scim-import/config";
import { scimImportHandler } from "../scim-import/handle-request";
import { errorFields, log } from "../observability/logger";
import { createEdgeServer } from "./server";

const dev = process.argv.includes("--dev");
const { port, hostname } = listenAddress();
const env = serverEnv();

const app = next({ dev, dir: process.cwd(), hostname, port });
await app.prepare();

const server = createEdgeServer(
  {
    dev,
    https: new URL(env.APP_URL).protocol === "https:",
    allowPlainHttpIdps: env.ALLOW_PRIVATE_TARGETS,
    trustedProxies: env.TRUST_PROXY,
    scimMaxPayloadBytes: DEFAULT_SCIM_IMPORT_CONFIG.maxPayloadBytes,
    metricsToken: env.METRICS_TOKEN ?? null,
  },
  app.getRequestHandler(),
  // SCIM Import straight to its framework-free handler (./scim-route.ts), everything else to Next.
  scimImportHandler(),
);
server.on("error", (error) => {
  log().fatal({ hostname, port, ...errorFields(error) }, "the server cannot listen");
  process.exit(1);
});
server.listen(port, hostname);
await once(server, "listening");

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeIdleConnections();
  await app.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
