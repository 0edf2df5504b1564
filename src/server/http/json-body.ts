import { BodyTooLarge, readLimited } from "../scim-import/http";
import { jsonNestingDepth } from "./json-depth";

/**
 * A JSON request body read through a byte counter and checked for nesting before anything
 * parses it: JSON.parse itself copes with deep input, but what walks the parsed value afterwards
 * (superjson, zod, canonicalizers, stringify) recurses and overflows the stack. The product's
 * server already refused a declared length over the route's cap; this holds for bodies without
 * one, and wherever the route runs.
 */
export type JsonBodyLimits = { maxBytes: number; maxDepth: number };

export type JsonBody = { ok: true; text: string } | { ok: false; status: 400 | 413; message: string };

export async function readJsonBody(request: Request, limits: JsonBodyLimits): Promise<JsonBody> {
  let text = "";
  if (request.body) {
    try {
      text = await readLimited(request.body, request.headers.get("content-length"), limits.maxBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      return { ok: false, status: 413, message: `The request body is larger than this endpoint accepts (${limits.maxBytes} bytes).` };
    }
  }
  const refusal = jsonNestingRefusal(text, limits.maxDepth);
  return refusal ? { ok: false, status: 400, message: refusal } : { ok: true, text };
}

/** Why `json` may not be parsed, or null: nested deeper than `maxDepth` objects and arrays. */
export function jsonNestingRefusal(json: string, maxDepth: number): string | null {
  return jsonNestingDepth(json, maxDepth) > maxDepth
    ? `The JSON nests objects and arrays deeper than ${maxDepth} levels; send a flatter input.`
    : null;
}

/** The same request with a body already read (a body stream can be read once). */
export function withBody(request: Request, text: string): Request {
  return new Request(request.url, { method: request.method, headers: request.headers, body: text, signal: request.signal });
}
