/**
 * Runs the Inngest executor on its own, in front of a running app (`npm start` with
 * INNGEST_BASE_URL=http://127.0.0.1:8288 and the same keys):
 *   npx tsx src/testing/inngest-executor/main.ts --app http://localhost:3000/api/inngest \
 *     [--port 8288] [--signing-key signkey-test-…] [--event-key …]
 * Syncs the app, fires cron functions on the clock, and prints each run as it ends.
 */
import { parseArgs } from "node:util";
import { startInngestExecutor } from "./executor";

const { values } = parseArgs({
  options: {
    app: { type: "string" },
    port: { type: "string", default: "8288" },
    host: { type: "string", default: "127.0.0.1" },
    "signing-key": { type: "string" },
    "event-key": { type: "string" },
  },
});
if (!values.app) {
  console.error("--app <the app's /api/inngest URL> is required");
  process.exit(2);
}

const executor = await startInngestExecutor({
  port: Number(values.port),
  host: values.host,
  signingKey: values["signing-key"],
  eventKey: values["event-key"],
  cron: true,
});
console.log(`Inngest executor on ${executor.url} (${values["signing-key"] ? "signed, as Inngest Cloud" : "unsigned, as a dev server"})`);
const synced = await executor.sync(values.app).catch(async (error: Error) => {
  console.error(
    `Could not sync ${values.app}: ${error.message}. Is the app running, with INNGEST_BASE_URL=${executor.url} and the same keys?`,
  );
  await executor.stop();
  process.exit(1);
});
console.log(
  `synced ${values.app}: ${executor
    .registeredFunctions()
    .map((f) => f.id)
    .join(", ")}${synced.modified ? "" : " (unchanged)"}`,
);

const reported = new Set<string>();
setInterval(() => {
  for (const run of executor.runs) {
    if (run.status === "Running" || reported.has(run.id)) continue;
    reported.add(run.id);
    console.log(`${run.status.padEnd(9)} ${run.functionId} [${run.stepNames.join(" → ")}]${run.error ? `: ${run.error.message}` : ""}`);
  }
  for (const problem of executor.problems.splice(0)) console.error(`problem: ${problem}`);
}, 1000).unref();

const stop = () => void executor.stop().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
