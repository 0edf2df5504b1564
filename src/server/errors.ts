/**
 * The one error type services throw. `message` is written for the person using the console
 * (it is shown to them); `internal` is for logs only. Routers map `code` to their protocol.
 */
export type AppErrorCode = "NOT_FOUND" | "CONFLICT" | "FORBIDDEN" | "UNAUTHORIZED" | "BAD_REQUEST" | "TOO_MANY_REQUESTS";

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly internal?: string;
  /** For form errors: which input field the message belongs to. */
  readonly field?: string;

  constructor(code: AppErrorCode, message: string, options: { internal?: string; field?: string } = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.internal = options.internal;
    this.field = options.field;
  }

  static notFound(what: string) {
    return new AppError("NOT_FOUND", `${what} was not found.`);
  }
}

/** PostgreSQL unique violation, as Prisma reports it through the pg adapter. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; meta?: { driverAdapterError?: { cause?: { kind?: string } } } };
  // P2002 from Prisma's API, the adapter's kind from $queryRaw, SQLSTATE 23505 from plain SQL (db/sql.ts).
  return e?.code === "P2002" || e?.code === "23505" || e?.meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation";
}
