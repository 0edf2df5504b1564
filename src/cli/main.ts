/**
 * The operator CLI: `npm run cli -- <command> [options]`, `npm run cli -- --help`.
 * Works with the server up (joins its embedded PostgreSQL) or down (starts it, then stops it),
 * or against DATABASE_URL.
 */
import { runAsActor } from "@/server/audit/context";
import { AppError } from "@/server/errors";
import { migrateDatabase } from "@/server/db/migrate";
import { closeDatabase } from "@/server/db";
import { logLevel } from "@/server/env";
import { createLogger, replaceLogger } from "@/server/observability/logger";
import { acquireDatabase } from "@/server/runtime/database";
import { applyEmbeddedDefaults } from "@/server/runtime/embedded-defaults";
import { parseCommandArgs, UsageError } from "./command";
import { commands } from "./registry";

// The CLI prints what it did; the server's request and job-step lines only at LOG_LEVEL's bidding.
replaceLogger(createLogger({ level: logLevel("warn") }));

function help() {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "Usage: npm run cli -- <command> [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `npm run cli -- <command> --help` for a command's options.",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(help());
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${help()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(`${command.summary}\nUsage: ${command.usage}`);
    return 0;
  }
  const values = parseCommandArgs(command, rest);
  if (command.needsAppUrl && process.env.DATABASE_URL && !process.env.APP_URL)
    throw new UsageError(
      `${command.name} against DATABASE_URL needs APP_URL, the console's public URL as the server has it (e.g. APP_URL=https://console.example.com): ` +
        "SSO profiles and SP metadata are made of it, and a guess (http://localhost:3000) would give the identity provider wrong addresses.",
    );
  applyEmbeddedDefaults(Number(process.env.PORT ?? 3000));
  const database = await acquireDatabase();
  process.env.DATABASE_URL = database.url;
  try {
    // A fresh data folder (or a database behind the code) would fail with "table does not exist".
    await migrateDatabase(database.url);
    // Every change a command makes is recorded in the audit log as the operator CLI's.
    await runAsActor({ actor: { kind: "cli" }, clientAddress: null }, () => command.run(values));
    return 0;
  } finally {
    await closeDatabase();
    await database.release();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof AppError) {
      console.error(`Error: ${error.message}`);
      process.exit(error instanceof UsageError ? 2 : 1);
    }
    console.error(error);
    process.exit(1);
  },
);
