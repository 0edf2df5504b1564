import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { resolveResponse } from "@trpc/server/http";
import { serverEnv } from "@/server/env";
import { crossSiteRefusal } from "@/server/http/cross-site";
import { jsonNestingDepth } from "@/server/http/json-depth";
import { BodyTooLarge, readLimited } from "@/server/scim-import/http";
import { createTrpcContext } from "@/server/trpc/init";
import { appRouter } from "@/server/trpc/router";

const ENDPOINT = "/api/trpc";
/**
 * The console's largest input is a pasted IdP metadata XML (≤ 512 KB). The product's server
 * refuses a larger declared body before reading it (src/server/http/body-limits.ts); this
 * holds wherever the route runs.
 */
const MAX_BODY_BYTES = 1024 * 1024;
/** The console's inputs nest a few levels; superjson and zod walk inputs recursively, so deeper JSON is refused before it is parsed. */
const MAX_JSON_DEPTH = 32;

async function handler(req: Request): Promise<Response> {
  const crossSite = crossSiteRefusal(req.method, req.headers, new URL(serverEnv().APP_URL).origin);
  if (crossSite) return refuse(req, new TRPCError({ code: "FORBIDDEN", message: crossSite }));

  let body: string | null = null;
  if (req.body) {
    try {
      body = await readLimited(req.body, req.headers.get("content-length"), MAX_BODY_BYTES);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      return refuse(req, new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: `The request body is larger than the console's API accepts (${MAX_BODY_BYTES} bytes).` }));
    }
  }
  for (const json of [new URL(req.url).searchParams.get("input"), body]) {
    if (json !== null && jsonNestingDepth(json, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
      return refuse(req, new TRPCError({ code: "BAD_REQUEST", message: `The input nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels; send a flatter input.` }));
    }
  }

  return fetchRequestHandler({
    endpoint: ENDPOINT,
    req: body === null ? req : new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal }),
    router: appRouter,
    createContext: createTrpcContext,
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed:`, error.cause ?? error);
    },
  });
}

/**
 * tRPC's own answer for `error`, one per call of a batch, without reading the body or creating
 * a context: the request goes no further than this.
 */
function refuse(req: Request, error: TRPCError): Promise<Response> {
  const headers = new Headers(req.headers);
  // tRPC picks its request parser by content type; the body is never read.
  headers.set("content-type", "application/json");
  return resolveResponse({
    router: appRouter,
    req: new Request(req.url, { method: req.method, headers }),
    path: new URL(req.url).pathname.slice(ENDPOINT.length).replace(/^\/|\/$/g, ""),
    createContext: async () => ({ session: null }),
    error,
  });
}

export { handler as GET, handler as POST };
