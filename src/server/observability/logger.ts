/**
 * The server's logger (pino): one JSON object per line on stdout, level from LOG_LEVEL. In a
 * terminal (stdout is a TTY) lines are printed readably through pino-pretty when it is installed
 * (a dev dependency), in this thread, without a worker. Secrets are never written: the REDACTED
 * paths are censored whatever logs them (logger.test.ts).
 *
 * One logger per process, on globalThis: the product's server and Next's bundle each load this
 * module, and both write through the same one.
 */
import { createRequire } from "node:module";
import pino, { type DestinationStream, type Logger } from "pino";
import { logLevel, type LogLevel } from "../env";

/** Fields that may hold a secret, wherever they appear (top level or one object down). */
export const REDACTED = [
  "authorization",
  "cookie",
  "password",
  "token",
  "secret",
  "clientSecret",
  "privateKey",
  "tokenCiphertext",
  "accessToken",
  "refreshToken",
  "apiKey",
  "set-cookie",
].flatMap((key) => [key, `*.${key}`, `*.headers.${key}`, `headers.${key}`].map((path) => (/^[\w*.]+$/.test(path) ? path : quoted(path))));

function quoted(path: string): string {
  // pino's redact paths use bracket notation for keys with a dash.
  return path
    .split(".")
    .map((part, i) => (/^[\w*]+$/.test(part) ? (i ? `.${part}` : part) : `["${part}"]`))
    .join("");
}

export type LoggerOptions = { level?: LogLevel; destination?: DestinationStream; pretty?: boolean };

export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = {
    level: options.level ?? logLevel(),
    base: { pid: process.pid },
    redact: { paths: REDACTED, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  if (options.destination) return pino(settings, options.destination);
  const pretty = options.pretty ?? process.stdout.isTTY === true;
  const prettyStream = pretty ? loadPretty() : null;
  return prettyStream ? pino(settings, prettyStream) : pino(settings);
}

/** pino-pretty's stream when it is installed (a dev dependency: absent from a production install). */
function loadPretty(): DestinationStream | null {
  try {
    const build = createRequire(import.meta.url)("pino-pretty") as (options: object) => DestinationStream;
    return build({ colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid" });
  } catch {
    return null;
  }
}

const globalForLog = globalThis as unknown as { lifecycleLogger?: Logger };

/** The process's logger. */
export function log(): Logger {
  globalForLog.lifecycleLogger ??= createLogger();
  return globalForLog.lifecycleLogger;
}

/** An error as log fields (message and stack; never the whole object, which may carry a request). */
export function errorFields(error: unknown): { err: { type: string; message: string; stack?: string } } {
  if (error instanceof Error) return { err: { type: error.name, message: error.message, stack: error.stack } };
  return { err: { type: typeof error, message: String(error) } };
}

/** Puts `next` in place of the process's logger and returns the one it replaced (tests capture lines: src/testing/log-capture.ts). */
export function replaceLogger(next: Logger): Logger {
  const previous = log();
  globalForLog.lifecycleLogger = next;
  return previous;
}
