import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { bodyRefusal, bodyRouteFor, bodyRoutes } from "./body-limits";
import { errorAnswer, type ErrorAnswer } from "./error-formats";
import type { ScimImportHandler } from "../scim-import/handle-request";
import { errorFields, log } from "../observability/logger";
import { METRICS_PATH, serveMetrics } from "../observability/metrics-endpoint";
import { observeRequest } from "../observability/request-log";
import { recordPeerAddress } from "./peer-address";
import { scimImportPath, serveScimImport } from "./scim-route";
import { NONCE_REQUEST_HEADERS, newNonce, responseKindOf, securityHeaders, type HeaderSettings } from "./security-headers";

/**
 * The product's HTTP server: every request passes a short list of steps before the framework
 * (Next) sees it. A step may answer the request itself, and then nothing after it runs.
 */
export type EdgeSettings = HeaderSettings & {
  /** TRUST_PROXY: how many proxies in front of us append to X-Forwarded-For. */
  trustedProxies: number;
  /** SCIM Import's maxPayloadSize: its handler enforces it on streamed bodies; a declared larger one is refused here. */
  scimMaxPayloadBytes: number;
  /** METRICS_TOKEN: GET /metrics answers Prometheus with it; without it, /metrics is 404. */
  metricsToken?: string | null;
};

/** What runs after the steps: Next's request handler (or a stand-in in tests). */
export type Downstream = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

type Exchange = {
  request: IncomingMessage;
  response: ServerResponse;
  /** The request target as sent (path and query). */
  target: string;
  /** The path as the framework will route it: dot segments resolved, so `/api/scim/../trpc` is `/api/trpc`. */
  pathname: string;
};

type Step = (exchange: Exchange) => "continue" | "answered";

/** Socket and parser limits: a slow or oversized request head cannot hold a connection open or buffer memory. */
export const SERVER_LIMITS = {
  /** Largest request head (request line and headers), Node's default made explicit. */
  maxHeaderSize: 16 * 1024,
  /** Time to receive the whole request head. */
  headersTimeout: 20_000,
  /** Time to receive the whole request, body included (the largest, 4 MB for Inngest, arrives well within it). */
  requestTimeout: 60_000,
};

function edgeSteps(settings: EdgeSettings): Step[] {
  const routes = bodyRoutes(settings.scimMaxPayloadBytes);

  const clientAddress: Step = ({ request }) => (recordPeerAddress(request, settings.trustedProxies) ? "continue" : "answered");

  // Before the size check, so that refusals carry the headers too.
  const headers: Step = ({ request, response, pathname }) => {
    for (const name of NONCE_REQUEST_HEADERS) delete request.headers[name];
    const nonce = responseKindOf(pathname) === "page" ? newNonce() : null;
    const answerHeaders = securityHeaders(pathname, settings, nonce);
    for (const [name, value] of Object.entries(answerHeaders)) response.setHeader(name, value);
    if (nonce) {
      request.headers["content-security-policy"] = answerHeaders["content-security-policy"];
      request.headers["x-nonce"] = nonce;
    }
    return "continue";
  };

  const bodySize: Step = ({ request, response, target, pathname }) => {
    const route = bodyRouteFor(routes, pathname);
    const refusal = bodyRefusal(route, request.headers);
    if (!refusal) return "continue";
    answer(response, errorAnswer(route.errors, refusal.status, refusal.message, target));
    return "answered";
  };

  const metricsEndpoint: Step = ({ request, response, pathname }) => {
    if (pathname !== METRICS_PATH) return "continue";
    serveMetrics(request, response, settings.metricsToken);
    return "answered";
  };

  return [clientAddress, headers, bodySize, metricsEndpoint];
}

/** Answers without reading the request body, and closes the connection so the unread body is not waited for. */
function answer(response: ServerResponse, { status, contentType, body }: ErrorAnswer) {
  response.shouldKeepAlive = false;
  response.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body), connection: "close" });
  response.end(body);
}

function pathnameOf(target: string): string {
  try {
    return new URL(target, "http://server.invalid").pathname;
  } catch {
    return "/";
  }
}

/**
 * The server: the steps, then SCIM Import's handler for `/api/scim/v2/<tenant>/…` when one is
 * given (./scim-route.ts; main.ts gives it), else and for everything else `downstream`.
 */
export function createEdgeServer(settings: EdgeSettings, downstream: Downstream, scimImport?: ScimImportHandler): http.Server {
  const steps = edgeSteps(settings);

  function handle(request: IncomingMessage, response: ServerResponse, expectsContinue: boolean) {
    const target = request.url ?? "/";
    observeRequest(response);
    const exchange: Exchange = { request, response, target, pathname: pathnameOf(target) };
    for (const step of steps) if (step(exchange) === "answered") return;
    // A client that asked before sending its body (Expect: 100-continue) gets the go-ahead only now.
    if (expectsContinue) response.writeContinue();
    const scim = scimImport ? scimImportPath(target, exchange.pathname) : null;
    const served = scimImport && scim ? serveScimImport(scimImport, scim, request, response) : downstream(request, response);
    served.catch((error: unknown) => {
      log().error({ ...errorFields(error), method: request.method, path: pathnameOf(target) }, "request failed");
      if (!response.headersSent) answer(response, errorAnswer("text", 500, "Internal server error; retry later.", target));
      else response.destroy();
    });
  }

  const server = http.createServer({ maxHeaderSize: SERVER_LIMITS.maxHeaderSize }, (request, response) => handle(request, response, false));
  server.on("checkContinue", (request: IncomingMessage, response: ServerResponse) => handle(request, response, true));
  server.headersTimeout = SERVER_LIMITS.headersTimeout;
  server.requestTimeout = SERVER_LIMITS.requestTimeout;
  return server;
}
