import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { ScimError, toScimErrorBody } from "../scim/errors";

/**
 * The error formats of the routes the server refuses requests for before any handler runs: a
 * refusal reads like the route's own errors, so its clients show the message instead of failing
 * to parse it.
 */
export type ErrorFormat = "text" | "trpc" | "oauth" | "scim";

export type ErrorAnswer = { status: number; contentType: string; body: string };

type TrpcCode = keyof typeof TRPC_ERROR_CODES_BY_KEY;
const trpcCodeOfStatus: Record<number, TrpcCode> = { 400: "BAD_REQUEST", 403: "FORBIDDEN", 411: "BAD_REQUEST", 413: "PAYLOAD_TOO_LARGE" };

/** `url` is the request's path and query string (tRPC answers a batch with one error per call). */
export function errorAnswer(format: ErrorFormat, status: number, message: string, url: string): ErrorAnswer {
  switch (format) {
    case "trpc":
      return { status, contentType: "application/json", body: JSON.stringify(trpcErrorBody(status, message, url)) };
    case "oauth":
      // RFC 6749 §5.2.
      return { status, contentType: "application/json", body: JSON.stringify({ error: "invalid_request", error_description: message }) };
    case "scim":
      return { status, contentType: "application/scim+json", body: JSON.stringify(toScimErrorBody(new ScimError(status, message))) };
    case "text":
      return { status, contentType: "text/plain; charset=utf-8", body: `${message}\n` };
  }
}

/**
 * tRPC's error answer as its fetch adapter writes it with the console's superjson transformer
 * (`{ error: { json: shape } }`, an array of them for `?batch=1`), so the console's client reads
 * the message. Built by hand: the server does not load the router to refuse a request.
 */
function trpcErrorBody(status: number, message: string, url: string) {
  const { pathname, searchParams } = new URL(url, "http://localhost");
  const paths = decodeURIComponent(pathname.replace(/^\/api\/trpc\/?/, "")).split(",");
  const code = trpcCodeOfStatus[status] ?? "BAD_REQUEST";
  const error = (path: string) => ({
    error: { json: { message, code: TRPC_ERROR_CODES_BY_KEY[code], data: { code, httpStatus: status, path } } },
  });
  return searchParams.get("batch") === "1" ? paths.map(error) : error(paths[0] ?? "");
}
