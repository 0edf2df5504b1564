/**
 * What an HTTP answer says about a failure on our side: nothing. Stack traces and database
 * messages map the system for an attacker and help nobody else; the log keeps them, with context.
 */
import { errorFields, log } from "../observability/logger";

export const INTERNAL_ERROR_MESSAGE = "Something went wrong on our side; it has been logged.";

/** Logs an unexpected error with where it happened, e.g. `tRPC scimExport.sync` or `OAuth token`. */
export function logInternalError(where: string, error: unknown): void {
  log().error(errorFields(error), `${where} failed`);
}
