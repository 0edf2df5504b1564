/**
 * Runs the Databricks SCIM emulator on its own, for tests in another process:
 *   npx tsx src/testing/databricks-emulator/main.ts [--port 4010] [--token dapi-…] [--latency 20]
 * Prints the workspace and account SCIM base URLs and the inspection URL, then serves until stopped.
 */
import { parseArgs } from "node:util";
import { INSPECTION_PREFIX, startDatabricksEmulator } from "./emulator";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4010" },
    token: { type: "string" },
    latency: { type: "string", default: "0" },
    host: { type: "string", default: "127.0.0.1" },
  },
});

const emulator = await startDatabricksEmulator({
  port: Number(values.port),
  host: values.host,
  token: values.token,
  latencyMs: Number(values.latency),
});
console.log(`Databricks SCIM emulator on ${emulator.origin}`);
console.log(`  workspace SCIM: ${emulator.workspaceUrl}`);
console.log(`  account SCIM:   ${emulator.accountUrl("2.0")}`);
console.log(`  token:          ${emulator.token}`);
console.log(`  inspection:     ${emulator.origin}${INSPECTION_PREFIX}state`);
const stop = () => void emulator.stop().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
