/**
 * The outbound SCIM 2.0 client (RFC 7644) for export targets. Every request:
 * - goes through the URL guard at connection time (`guardedLookup`), never follows redirects;
 * - waits for the target's pacer (per-target request budget);
 * - is retried with exponential backoff and full jitter on 429, 5xx, connection resets and
 *   timeouts, honouring Retry-After when the target sends it (Databricks often does not).
 * Answers are returned as they are; callers decide what a 4xx means.
 */
import http from "node:http";
import https from "node:https";
import { guardedLookup } from "../../net/url-guard";
import { equalityFilter, listQueryString, parseListResponse } from "../../scim";
import { answerClass, metrics } from "../../observability/metrics";
import type { DryRunTarget } from "./dry-run-target";
import { Pacer } from "./pacer";

export type ScimResponse = { status: number; body: unknown; headers: Record<string, string | string[] | undefined> };

export type TransportErrorKind = "UNREACHABLE" | "TLS" | "TIMEOUT" | "RESET" | "BLOCKED";

export class TransportError extends Error {
  constructor(
    readonly kind: TransportErrorKind,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "TransportError";
  }
}

export type ClientStats = { requests: number; retries: number; throttled: number; serverErrors: number; transportErrors: number };

/** How the client retries a request: unset fields keep the production defaults (tests and benchmarks pass shorter ones). */
export type ClientRetries = {
  timeoutMs?: number;
  /** Attempts per request, the first included. */
  maxAttempts?: number;
  /** Backoff base and cap (ms). */
  backoffBaseMs?: number;
  backoffCapMs?: number;
};

export type ScimClientOptions = ClientRetries & {
  baseUrl: string;
  token: string;
  allowPrivate: boolean;
  pacer?: Pacer;
  stats?: ClientStats;
  /** Preview sync: writes are answered by this, never sent; only reads reach the target. */
  dryRun?: DryRunTarget | null;
};

export function newStats(): ClientStats {
  return { requests: 0, retries: 0, throttled: 0, serverErrors: 0, transportErrors: 0 };
}

const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 64 }), https: new https.Agent({ keepAlive: true, maxSockets: 64 }) };

function classify(error: NodeJS.ErrnoException): TransportError {
  const code = error.code ?? "";
  if (code === "EBLOCKED") return new TransportError("BLOCKED", "The target's address is private, loopback or link-local.", code);
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(code) || /certificate|ssl|tls/i.test(error.message)) {
    return new TransportError("TLS", `TLS failed: ${error.message}`, code);
  }
  if (code === "ECONNRESET" || code === "EPIPE" || code === "UND_ERR_SOCKET" || /socket hang up/i.test(error.message)) {
    return new TransportError("RESET", "The connection was reset.", code);
  }
  if (code === "ETIMEDOUT" || code === "ESOCKETTIMEDOUT") return new TransportError("TIMEOUT", "The target did not answer in time.", code);
  return new TransportError("UNREACHABLE", `The target could not be reached (${code || error.message}).`, code);
}

/** Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3), in ms; null when absent or unusable. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Exponential backoff with full jitter: random in [0, min(cap, base·2^attempt)]. */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

export class ScimClient {
  readonly baseUrl: string;
  readonly stats: ClientStats;
  private readonly options: Required<Omit<ScimClientOptions, "pacer" | "stats">> & { pacer?: Pacer };

  constructor(options: ScimClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.stats = options.stats ?? newStats();
    this.options = {
      timeoutMs: 30_000,
      maxAttempts: 6,
      dryRun: null,
      backoffBaseMs: 500,
      backoffCapMs: 30_000,
      ...options,
      baseUrl: this.baseUrl,
    };
  }

  /** One HTTP exchange, no retry. */
  private once(method: string, path: string, body?: unknown): Promise<ScimResponse> {
    const url = new URL(this.baseUrl + path);
    const isHttps = url.protocol === "https:";
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const request = (isHttps ? https : http).request(
        url,
        {
          method,
          agent: isHttps ? agents.https : agents.http,
          lookup: guardedLookup(this.options.allowPrivate),
          headers: {
            Authorization: `Bearer ${this.options.token}`,
            Accept: "application/scim+json, application/json",
            ...(payload ? { "Content-Type": "application/scim+json", "Content-Length": payload.length } : {}),
          },
          timeout: this.options.timeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > 20 * 1024 * 1024) request.destroy(new Error("response too large"));
            else chunks.push(chunk);
          });
          response.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let parsed: unknown = text;
            if (text) {
              try {
                parsed = JSON.parse(text);
              } catch {
                parsed = text.slice(0, 2000);
              }
            } else parsed = null;
            resolve({ status: response.statusCode ?? 0, body: parsed, headers: response.headers });
          });
          response.on("error", (error) => reject(classify(error as NodeJS.ErrnoException)));
        },
      );
      request.on("timeout", () => request.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
      request.on("error", (error) => reject(error instanceof TransportError ? error : classify(error as NodeJS.ErrnoException)));
      if (payload) request.write(payload);
      request.end();
    });
  }

  /**
   * A request with pacing and retries. Throws TransportError when the last attempt could not
   * reach the target; returns the last answer otherwise (even a 5xx after the last attempt).
   */
  async request(method: string, path: string, body?: unknown, options: { attempts?: number } = {}): Promise<ScimResponse> {
    const dryRun = this.options.dryRun;
    if (dryRun) {
      const answer = method === "GET" ? dryRun.read(path) : dryRun.write(method, path, body);
      if (answer) return answer;
    }
    const attempts = options.attempts ?? this.options.maxAttempts;
    let lastError: TransportError | null = null;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) {
        this.stats.retries++;
        metrics().targetRetries.inc();
      }
      await this.options.pacer?.acquire(method);
      this.stats.requests++;
      let wait: number;
      try {
        const response = await this.once(method, path, body);
        metrics().targetRequests.inc({ method, answer: answerClass(response.status) });
        if (response.status === 429) metrics().targetThrottled.inc();
        if (!isRetryableStatus(response.status) || attempt === attempts - 1) return response;
        if (response.status === 429) this.stats.throttled++;
        else this.stats.serverErrors++;
        wait = retryAfterMs(response.headers["retry-after"]) ?? backoffMs(attempt, this.options.backoffBaseMs, this.options.backoffCapMs);
        if (response.status === 429) this.options.pacer?.pause(wait);
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        this.stats.transportErrors++;
        metrics().targetRequests.inc({ method, answer: answerClass(null) });
        lastError = error;
        // An address refused by the guard, or a certificate problem, will not heal by retrying.
        if (error.kind === "BLOCKED" || error.kind === "TLS" || attempt === attempts - 1) throw error;
        wait = backoffMs(attempt, this.options.backoffBaseMs, this.options.backoffCapMs);
      }
      await new Promise((r) => setTimeout(r, wait));
    }
    throw lastError ?? new TransportError("UNREACHABLE", "The target could not be reached.");
  }

  /** GET /Users or /Groups with a filter `attr eq "value"` (RFC 7644 §3.4.2.2). */
  async findOne(
    resource: "Users" | "Groups",
    attribute: string,
    value: string,
  ): Promise<{ response: ScimResponse; resource: ScimResource | null }> {
    const query = listQueryString({ filter: equalityFilter(attribute, value), startIndex: 1, count: 2 });
    const response = await this.request("GET", `/${resource}?${query}`);
    if (response.status !== 200) return { response, resource: null };
    return { response, resource: parseListResponse<ScimResource>(response.body).resources[0] ?? null };
  }

  /** Every resource, paged by `count` (Databricks caps it at 100) with 1-based `startIndex`. */
  async listAll(resource: "Users" | "Groups", attributes: string, onPage?: (items: ScimResource[]) => void): Promise<ScimResource[]> {
    const all: ScimResource[] = [];
    let startIndex = 1;
    for (;;) {
      const response = await this.request(
        "GET",
        `/${resource}?${listQueryString({ startIndex, count: 100 })}&attributes=${encodeURIComponent(attributes)}`,
      );
      if (response.status !== 200) throw new ScimStatusError(response);
      const { resources: page, totalResults } = parseListResponse<ScimResource>(response.body);
      all.push(...page);
      onPage?.(page);
      if (page.length === 0 || (totalResults !== undefined && startIndex - 1 + page.length >= totalResults)) break;
      startIndex += page.length;
    }
    return all;
  }
}

export type ScimResource = { id: string; [key: string]: unknown };

class ScimStatusError extends Error {
  constructor(readonly response: ScimResponse) {
    super(`The target answered ${response.status}`);
  }
}
