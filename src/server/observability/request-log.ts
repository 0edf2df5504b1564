/**
 * One log line and one metric observation per request, after its answer is done. Called by the
 * product's server for every request, so it stays cheap: the start time goes on the response, one
 * shared listener (no closure per request) does everything when the response closes.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { log } from "./logger";
import { metrics } from "./metrics";
import { routeOf } from "./routes";

const STARTED = Symbol("startedAt");
type Observed = ServerResponse & { [STARTED]?: number; req?: IncomingMessage };

let sequence = 0;
const REQUEST_ID = /^[\w.:-]{1,128}$/;

export function observeRequest(response: ServerResponse): void {
  (response as Observed)[STARTED] = performance.now();
  response.once("close", onClose);
}

function onClose(this: Observed) {
  const started = this[STARTED];
  if (started === undefined) return;
  const seconds = (performance.now() - started) / 1000;
  const request = this.req;
  const method = request?.method ?? "GET";
  const target = request?.url ?? "/";
  const query = target.indexOf("?");
  const { route, tenant } = routeOf(query === -1 ? target : target.slice(0, query));
  // An answer cut off before its end (the client went away) is logged with status 499, as nginx does.
  const status = this.writableFinished ? this.statusCode : 499;
  const m = metrics();
  m.httpRequests.inc({ route, method, status });
  m.httpDuration.observe({ route, method }, seconds);
  const logger = log();
  if (!logger.isLevelEnabled("info")) return;
  const header = request?.headers["x-request-id"];
  logger.info(
    {
      // A caller's id is kept only when it looks like one: the log never stores free text a client chose.
      requestId: typeof header === "string" && REQUEST_ID.test(header) ? header : `${process.pid}-${++sequence}`,
      method,
      route,
      status,
      durationMs: Math.round(seconds * 10_000) / 10,
      tenant,
    },
    "request",
  );
}
