import type { IncomingMessage, ServerResponse } from "node:http";
import type { ScimImportHandler } from "../scim-import/handle-request";
import { fromNodeRequest } from "../scim-import/http";

/**
 * SCIM Import served by the product's server itself, after the request steps and before Next:
 * the handler is framework-free, and going through Next's request handler (Web Request and
 * Response objects, its router) cost IdPs more per request than the SCIM work. Next's route
 * `src/app/api/scim/v2/[tenant]/[[...path]]/route.ts` stays for tests that call it as a module;
 * both hand the handler the same tenant and segments.
 */

const PREFIX = "/api/scim/v2/";
/**
 * OPTIONS is answered here as Next answers it for the route (204 and the methods it takes, no
 * token needed); HEAD is a GET without its body (Node's response writes none for HEAD), every
 * other method goes to the handler, which refuses it in SCIM's format.
 */
const ALLOW = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT";

export type ScimImportPath = { tenant: string; segments: string[] };

/**
 * The tenant and path segments Next's route would be given for this request, or null when it is
 * not one this server can match exactly as Next does; those go to Next, which answers them as
 * before (308 to the path without a trailing slash or repeated slashes, 500 for a malformed
 * escape, a last `index` segment dropped). Every method is served here (see ALLOW). Segments are percent-decoded one by one, as Next does, so
 * `%2F` inside a segment stays in that segment.
 */
export function scimImportPath(target: string, pathname: string): ScimImportPath | null {
  if (!pathname.startsWith(PREFIX)) return null;
  // The path as sent must be the path as routed: dot segments or characters the URL parser
  // rewrites would make Next see another path than ours.
  const query = target.indexOf("?");
  if ((query === -1 ? target : target.slice(0, query)) !== pathname) return null;
  const rest = pathname.slice(PREFIX.length);
  if (rest === "" || rest.endsWith("/") || rest.includes("//")) return null;
  const parts = rest.split("/");
  try {
    for (let i = 0; i < parts.length; i++) parts[i] = decodeURIComponent(parts[i]!);
  } catch {
    return null;
  }
  // Next drops a last `/index` before routing (`/Users/index` is `/Users` to it).
  if (parts[parts.length - 1] === "index") return null;
  return { tenant: parts[0]!, segments: parts.slice(1) };
}

/** Runs the handler on the node:http request and writes its plain answer; the steps' headers are already set. */
export async function serveScimImport(
  handler: ScimImportHandler,
  path: ScimImportPath,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (request.method === "OPTIONS") {
    response.writeHead(204, { allow: ALLOW }).end();
    return;
  }
  const answer = await handler(fromNodeRequest(request), path.tenant, path.segments);
  // A body refused part-way (413) was not read to its end: close rather than wait for the rest.
  if (!request.complete) response.shouldKeepAlive = false;
  response.statusCode = answer.status;
  for (const name in answer.headers) response.setHeader(name, answer.headers[name]!);
  if (answer.body === null) {
    response.end();
    return;
  }
  response.setHeader("content-length", Buffer.byteLength(answer.body));
  response.end(answer.body);
}
