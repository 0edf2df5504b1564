import type { IncomingMessage } from "node:http";

/**
 * What SCIM Import needs of HTTP, whatever serves it: the product's server (src/server/http)
 * hands it a node:http request, Next's route (kept for tests that call it as a module) a Web
 * Request. Plain data in, plain data out: building Web Request and Response objects (streams,
 * abort signals, header guards) was a fifth of the handler's CPU per lookup (bench:scim-import
 * profile), and the protocol needs none of it.
 */

export type ScimHttpRequest = {
  method: string;
  /** The path and query string (a whole URL is accepted too). */
  url: string;
  /** A request header by lower-case name. */
  header(name: string): string | null;
  /** The body as text; rejects with BodyTooLarge past `limit` bytes, before reading them all. */
  readBody(limit: number): Promise<string>;
};

export type ScimHttpResponse = { status: number; headers: Record<string, string>; body: string | null };

export class BodyTooLarge extends Error {}

/** Reads at most `limit` bytes of `chunks`; a declared Content-Length over it fails at once. */
export async function readLimited(
  chunks: AsyncIterable<Uint8Array>,
  declaredLength: string | null | undefined,
  limit: number,
): Promise<string> {
  const declared = Number(declaredLength ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLarge();
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    if (size > limit) throw new BodyTooLarge();
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString("utf8");
}

/** A Web Request (Next.js route handlers) as a SCIM request. */
export function fromWebRequest(request: Request): ScimHttpRequest {
  return {
    method: request.method,
    url: request.url,
    header: (name) => request.headers.get(name),
    // Leaving the loop early (too large) cancels the stream.
    readBody: (limit) => (request.body ? readLimited(request.body, request.headers.get("content-length"), limit) : Promise.resolve("")),
  };
}

/**
 * A node:http request as a SCIM request: the headers and body are read from the IncomingMessage
 * as they are, with no Web objects built.
 */
export function fromNodeRequest(request: IncomingMessage): ScimHttpRequest {
  return {
    method: request.method ?? "GET",
    url: request.url ?? "/",
    header: (name) => {
      const value = request.headers[name];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
    // Stopping early (too large) ends the request's stream; the server still writes the 413 and closes.
    readBody: (limit) => readLimited(request, request.headers["content-length"], limit),
  };
}

export function toWebResponse(response: ScimHttpResponse): Response {
  return new Response(response.body, { status: response.status, headers: response.headers });
}
