import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { resolveResponse } from "@trpc/server/http";
import { serverEnv } from "@/server/env";
import { CONSOLE_API_MAX_BYTES } from "@/server/http/body-limits";
import { crossSiteRefusal } from "@/server/http/cross-site";
import { jsonNestingRefusal, readJsonBody, withBody } from "@/server/http/json-body";
import { MAX_JSON_NESTING } from "@/server/http/json-depth";
import { createTrpcContext } from "@/server/trpc/init";
import { appRouter } from "@/server/trpc/router";
import { logInternalError } from "@/server/http/internal-error";

const ENDPOINT = "/api/trpc";
/**
 * The product's server refuses a larger declared body before reading it; this read holds for
 * bodies without a length and wherever the route runs. superjson and zod walk inputs
 * recursively, so deeper JSON is refused before it is parsed.
 */
const LIMITS = { maxBytes: CONSOLE_API_MAX_BYTES, maxDepth: MAX_JSON_NESTING };

async function handler(req: Request): Promise<Response> {
  const crossSite = crossSiteRefusal(req.method, req.headers, new URL(serverEnv().APP_URL).origin);
  if (crossSite) return refuse(req, new TRPCError({ code: "FORBIDDEN", message: crossSite }));

  const tooDeepInput = jsonNestingRefusal(new URL(req.url).searchParams.get("input") ?? "", LIMITS.maxDepth);
  if (tooDeepInput) return refuse(req, new TRPCError({ code: "BAD_REQUEST", message: tooDeepInput }));
  let body: string | null = null;
  if (req.body) {
    const read = await readJsonBody(req, LIMITS);
    if (!read.ok)
      return refuse(req, new TRPCError({ code: read.status === 413 ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST", message: read.message }));
    body = read.text;
  }

  return fetchRequestHandler({
    endpoint: ENDPOINT,
    req: body === null ? req : withBody(req, body),
    router: appRouter,
    createContext: createTrpcContext,
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") logInternalError(`tRPC ${path ?? "?"}`, error.cause ?? error);
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
