/** Captures what the server logs (the pino logger, src/server/observability/logger.ts) while a test runs. */
import { Writable } from "node:stream";
import { createLogger, replaceLogger } from "../server/observability/logger";

export type LogLine = { level: string; msg?: string; err?: { message: string; stack?: string }; [field: string]: unknown };

export function captureLogs(level: "info" | "warn" | "error" = "info") {
  const lines: LogLine[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const previous = replaceLogger(createLogger({ level, destination }));
  return {
    lines,
    /** Every line as text: message, then the error's message and stack. */
    text: () => lines.map((l) => [l.msg ?? "", l.err?.message ?? "", l.err?.stack ?? ""].join("\n")).join("\n"),
    restore: () => void replaceLogger(previous),
  };
}
