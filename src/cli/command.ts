import { parseArgs, type ParseArgsConfig } from "node:util";

/** A CLI command: its options are declared once and drive both parsing and `--help`. */
export type Command = {
  name: string;
  summary: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  /** Option names that must be given. */
  required?: string[];
  usage: string;
  /**
   * The command writes or prints the server's public URLs (SSO profiles, SP metadata): against
   * DATABASE_URL it needs the server's APP_URL, since the embedded default (localhost) would be wrong.
   */
  needsAppUrl?: boolean;
  run: (values: Record<string, string | boolean | undefined>) => Promise<void>;
};

export class UsageError extends Error {}

export function parseCommandArgs(command: Command, argv: string[]) {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: command.options, strict: true, allowPositionals: false }) as {
      values: Record<string, string | boolean | undefined>;
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nUsage: ${command.usage}`);
  }
  const missing = (command.required ?? []).filter((name) => values[name] === undefined || values[name] === "");
  if (missing.length) throw new UsageError(`Missing ${missing.map((m) => `--${m}`).join(", ")}.\nUsage: ${command.usage}`);
  return values;
}

/** The option's value as a string (parseArgs types are loose). */
export function str(values: Record<string, string | boolean | undefined>, name: string): string {
  const value = values[name];
  return typeof value === "string" ? value : "";
}
