/**
 * /api/inngest, where Inngest calls the job functions. Served only where Inngest is configured:
 * on the embedded default the runner needs no endpoint, and an open one runs jobs for anyone.
 * With Inngest Cloud the SDK refuses every request (runs, sync, introspection) that lacks a valid
 * X-Inngest-Signature: HMAC-SHA256 of the body and a timestamp under the signing key, at most
 * 5 minutes old. Dev mode checks nothing, hence its guard in env.ts.
 */
import type { InngestFunction } from "inngest";
import { serve } from "inngest/next";
import { serverEnv } from "../env";
import { INTERNAL_ERROR_MESSAGE, logInternalError } from "../http/internal-error";
import { inngestSettings } from "./settings";
import { inngest } from "./client";

type Handler = (request: Request) => Promise<Response>;
type Method = "GET" | "POST" | "PUT";

const ENDPOINT_PATH = "/api/inngest";

function notFound(): Response {
  return new Response("Not found\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/** The SDK's handlers for `functions`; null where Inngest is not configured. */
function servedHandlers(functions: InngestFunction.Any[]): ReturnType<typeof serve> | null {
  if (inngestSettings().mode === "embedded") return null;
  const url = new URL(ENDPOINT_PATH, serverEnv().APP_URL);
  return serve({
    client: inngest,
    functions,
    // Sync (PUT) and introspection (GET) need a signature too, not only runs; Inngest Cloud syncs in-band, signed.
    enableUnauthedSync: false,
    // The URL Inngest is given for the functions is the public one, never the request's Host header.
    serveOrigin: url.origin,
    servePath: url.pathname,
  });
}

/**
 * The route's handlers for the features' functions (jobs/ declares none). The SDK reads and
 * parses the body before checking the signature, so its throws are caught here.
 */
export function inngestRoute(functions: InngestFunction.Any[]): Record<Method, Handler> {
  // Built on first use, not at build time, when the settings may be absent.
  let served: ReturnType<typeof serve> | null | undefined;
  const handler =
    (method: Method): Handler =>
    async (request) => {
      if (served === undefined) served = servedHandlers(functions);
      const handlers = served;
      if (!handlers) return notFound();
      try {
        return await handlers[method](request as Parameters<typeof handlers.GET>[0], undefined);
      } catch (error) {
        logInternalError(`Inngest ${method} ${ENDPOINT_PATH}`, error);
        return Response.json({ message: INTERNAL_ERROR_MESSAGE }, { status: 500 });
      }
    };
  return { GET: handler("GET"), POST: handler("POST"), PUT: handler("PUT") };
}
