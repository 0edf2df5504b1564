/**
 * One instance of the in-process job runner for `npm run bench:jobs`, as a server runs it (the
 * same registry and default tuning), in a process of its own on the DATABASE_URL it is given.
 * Prints "ready" once started; stops on SIGTERM.
 */
import { exportJobs } from "../src/server/scim-export/jobs";
import { startRunner } from "../src/server/jobs/runner";
import { closeDatabase } from "../src/server/db";

const runner = startRunner({ registry: exportJobs, periodic: false });
console.log("ready");
process.on("SIGTERM", () => {
  void runner
    .stop()
    .then(() => closeDatabase())
    .finally(() => process.exit(0));
});
