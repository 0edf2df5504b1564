/**
 * GET /metrics: the Prometheus text format, for a scraper holding METRICS_TOKEN
 * (`Authorization: Bearer <token>`). Without METRICS_TOKEN the endpoint does not exist (404);
 * a wrong or missing token gets 401. The token is compared in constant time.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { errorFields, log } from "./logger";
import { metrics } from "./metrics";

export const METRICS_PATH = "/metrics";

const digest = (value: string) => createHash("sha256").update(value).digest();

export function tokenMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(.+)$/i.exec(header ?? "")?.[1]?.trim() ?? "";
  return timingSafeEqual(digest(presented), digest(token));
}

/** Answers a request for /metrics. */
export function serveMetrics(request: IncomingMessage, response: ServerResponse, token: string | null | undefined): void {
  const plain = (status: number, body: string, extra: Record<string, string> = {}) => {
    response.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...extra });
    response.end(body);
  };
  if (!token) return plain(404, "Not found.\n");
  if (request.method !== "GET" && request.method !== "HEAD") return plain(405, "Use GET.\n", { allow: "GET, HEAD" });
  if (!tokenMatches(request.headers.authorization, token))
    return plain(401, "Send METRICS_TOKEN as a bearer token.\n", { "www-authenticate": 'Bearer realm="metrics"' });
  const { registry } = metrics();
  registry.metrics().then(
    (text) => {
      response.writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store" });
      response.end(request.method === "HEAD" ? undefined : text);
    },
    (error: unknown) => {
      log().error(errorFields(error), "metrics could not be collected");
      plain(500, "Metrics could not be collected; see the server log.\n");
    },
  );
}
