/**
 * An Inngest server for tests, built from Inngest's open-source SDK specification (docs/SDK_SPEC.md
 * in inngest/inngest) and checked against the JS SDK it talks to (node_modules/inngest): the app
 * syncs its functions here, sends its events here, and is called back with step state until each
 * run finishes. See README.md for what it implements and what it leaves out.
 */
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { cronMatches } from "./cron";
import { evaluateKey, matchesCondition } from "./expression";
import { canonicalJson, hashedSigningKey, signatureHeader, verifySignatureHeader } from "./signature";
import { parseTimeString, sleepDelayMs } from "./time-string";

export type ExecutorOptions = {
  host?: string;
  port?: number;
  /** Events are accepted only at /e/<eventKey>; without it, under any key (a dev server). */
  eventKey?: string;
  /**
   * Inngest Cloud's behaviour: calls to the app are signed with this key, the app's answers and
   * sync requests must be signed / authorised with it. Without it, a dev server: nothing signed.
   */
  signingKey?: string;
  /** The first retry's delay; it doubles with each attempt (Inngest's own backoff starts at seconds). */
  retryBaseMs?: number;
  /** Multiplies debounce periods and sleeps, to run a "3s" debounce in 300 ms with 0.1. */
  timeScale?: number;
  /** Run cron functions on the wall clock, at each minute. Off by default: tests call `tickCron`. */
  cron?: boolean;
};

export type InngestEvent = { id: string; name: string; data: Record<string, unknown>; ts: number; user?: Record<string, unknown> };

type Trigger = { event: string; expression?: string } | { cron: string };
type ConcurrencyLimit = { limit: number; key?: string; scope: "fn" | "env" | "account" };

export type RegisteredFunction = {
  id: string;
  name?: string;
  url: string;
  triggers: Trigger[];
  maxAttempts: number;
  concurrency: ConcurrencyLimit[];
  debounce?: { key?: string; periodMs: number; timeoutMs?: number };
};

type SerializedError = { name?: string; message?: string; stack?: string };
type Memoized = { type: "data"; data: unknown } | { type: "error"; error: SerializedError };
type Op = {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  data?: unknown;
  error?: SerializedError;
  opts?: Record<string, unknown>;
};

export type Run = {
  id: string;
  functionId: string;
  event: InngestEvent;
  status: "Running" | "Completed" | "Failed";
  /** Memoized step results by hashed step id, and the order they finished in (ctx.stack). */
  steps: Record<string, Memoized>;
  stack: string[];
  /** The display names of the steps that finished, in order. */
  stepNames: string[];
  /** The attempt of the step (or function body) being run: 0 first, reset after each step succeeds. */
  attempt: number;
  disableImmediateExecution: boolean;
  concurrencySlots: string[];
  output?: unknown;
  error?: SerializedError;
  createdAt: number;
  endedAt?: number;
};

/** One call request, for assertions on ordering and concurrency. */
export type CallRecord = {
  runId: string;
  functionId: string;
  stepId: string;
  attempt: number;
  slots: string[];
  startedAt: number;
  endedAt?: number;
  status?: number;
  ops?: string[];
};

type Task = { run: Run; stepId: string; notBefore: number };
type Debounce = { fn: RegisteredFunction; event: InngestEvent; firstAt: number; dueAt: number; timer: NodeJS.Timeout };

const FAILED_EVENT = "inngest/function.failed";
const CRON_EVENT = "inngest/scheduled.timer";
/** When the config names no retries, Inngest retries 4 times: 5 attempts. */
const DEFAULT_RETRIES = 4;

export class InngestExecutor {
  readonly url: string;
  readonly events: InngestEvent[] = [];
  readonly runs: Run[] = [];
  readonly calls: CallRecord[] = [];
  /** Problems the executor saw in the app's requests or answers (bad signature, unknown opcode). */
  readonly problems: string[] = [];
  private readonly functions = new Map<string, RegisteredFunction>();
  private readonly queue: Task[] = [];
  private readonly inFlight = new Map<string, number>();
  private readonly debounces = new Map<string, Debounce>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly listeners = new Set<() => void>();
  private running = 0;
  private eventFault: number | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;
  private cronTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly server: Server,
    private readonly options: Required<Pick<ExecutorOptions, "retryBaseMs" | "timeScale">> & ExecutorOptions,
  ) {
    const { address, port } = server.address() as AddressInfo;
    this.url = `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
    if (options.cron) this.scheduleCronTick();
  }

  // ── Sync (SDK spec §4.3) ────────────────────────────────────────────────────────────────────

  /** Asks the app to sync (PUT to its served endpoint); the app then registers its functions here. */
  async sync(appUrl: string): Promise<{ message: string; modified: boolean }> {
    const headers: Record<string, string> = { "x-inngest-server-kind": this.options.signingKey ? "cloud" : "dev" };
    if (this.options.signingKey) headers["x-inngest-signature"] = signatureHeader("", this.options.signingKey);
    const response = await fetch(appUrl, { method: "PUT", headers });
    const body = (await response.json().catch(() => ({}))) as { message?: string; modified?: boolean };
    if (response.status !== 200) throw new Error(`The app refused the sync (${response.status}): ${body.message ?? JSON.stringify(body)}`);
    return { message: body.message ?? "", modified: body.modified ?? false };
  }

  /** A fault for tests: events are answered with this status (e.g. 503) until set back to null. */
  refuseEvents(status: number | null): void {
    this.eventFault = status;
  }

  registeredFunctions(): RegisteredFunction[] {
    return [...this.functions.values()];
  }

  private register(body: { url?: string; appName?: string; functions?: unknown[] }): { modified: boolean } {
    if (!body.appName || !body.url || !Array.isArray(body.functions))
      throw new Error("A sync needs url, appName and functions (SDK spec §4.3.2)");
    const before = JSON.stringify([...this.functions.values()]);
    this.functions.clear();
    for (const raw of body.functions as Record<string, unknown>[]) {
      const fn = parseFunctionConfig(raw);
      this.functions.set(fn.id, fn);
    }
    return { modified: before !== JSON.stringify([...this.functions.values()]) };
  }

  // ── Events ──────────────────────────────────────────────────────────────────────────────────

  /** Takes an event as if the app had sent it; returns its id. */
  send(event: { name: string; data?: Record<string, unknown>; id?: string; ts?: number }): string {
    const stored: InngestEvent = { id: event.id ?? randomUUID(), name: event.name, data: event.data ?? {}, ts: event.ts ?? Date.now() };
    this.events.push(stored);
    for (const fn of this.functions.values()) {
      for (const trigger of fn.triggers) {
        if ("event" in trigger && trigger.event === stored.name && this.conditionHolds(fn, trigger, stored)) {
          if (fn.debounce) this.debounce(fn, stored);
          else this.startRun(fn, stored);
          break;
        }
      }
    }
    this.changed();
    return stored.id;
  }

  private conditionHolds(fn: RegisteredFunction, trigger: { expression?: string }, event: InngestEvent): boolean {
    try {
      return matchesCondition(trigger.expression, event);
    } catch (error) {
      this.problems.push(`${fn.id}: ${(error as Error).message}`);
      return false;
    }
  }

  /** Debounce (SDK spec §4.3.2): the latest event runs `period` after the last one, at most `timeout` after the first. */
  private debounce(fn: RegisteredFunction, event: InngestEvent): void {
    const config = fn.debounce!;
    const key = `${fn.id}:${config.key ? evaluateKey(config.key, event) : ""}`;
    const now = Date.now();
    const period = config.periodMs * this.options.timeScale;
    const existing = this.debounces.get(key);
    const firstAt = existing?.firstAt ?? now;
    const limit = config.timeoutMs === undefined ? Infinity : firstAt + config.timeoutMs * this.options.timeScale;
    const dueAt = Math.min(now + period, limit);
    if (existing) clearTimeout(existing.timer);
    const entry: Debounce = {
      fn,
      event,
      firstAt,
      dueAt,
      timer: setTimeout(() => {
        this.debounces.delete(key);
        this.startRun(fn, entry.event);
        this.changed();
      }, dueAt - now),
    };
    this.debounces.set(key, entry);
  }

  // ── Cron ────────────────────────────────────────────────────────────────────────────────────

  /** Starts the cron functions whose schedule fires in the minute of `at`; returns their runs. */
  tickCron(at = new Date()): Run[] {
    const started: Run[] = [];
    for (const fn of this.functions.values()) {
      const trigger = fn.triggers.find((t): t is { cron: string } => "cron" in t && cronMatches(t.cron, at));
      if (!trigger) continue;
      const event: InngestEvent = { id: randomUUID(), name: CRON_EVENT, data: { cron: trigger.cron }, ts: at.getTime() };
      started.push(this.startRun(fn, event));
    }
    this.changed();
    return started;
  }

  private scheduleCronTick(): void {
    const delay = 60_000 - (Date.now() % 60_000);
    this.cronTimer = setTimeout(() => {
      this.tickCron(new Date());
      this.scheduleCronTick();
    }, delay);
    this.cronTimer.unref();
  }

  // ── Runs ────────────────────────────────────────────────────────────────────────────────────

  private startRun(fn: RegisteredFunction, event: InngestEvent): Run {
    const run: Run = {
      id: randomUUID(),
      functionId: fn.id,
      event,
      status: "Running",
      steps: {},
      stack: [],
      stepNames: [],
      attempt: 0,
      disableImmediateExecution: false,
      concurrencySlots: fn.concurrency.map((c) => `${c.scope === "fn" ? fn.id : c.scope}:${c.key ? evaluateKey(c.key, event) : ""}`),
      createdAt: Date.now(),
    };
    this.runs.push(run);
    this.enqueue(run, "step", 0);
    return run;
  }

  private enqueue(run: Run, stepId: string, delayMs: number): void {
    this.queue.push({ run, stepId, notBefore: Date.now() + delayMs });
    this.pump();
  }

  /** Starts every queued call that is due and has a free slot under each of its concurrency limits. */
  private pump(): void {
    if (this.stopped) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    const now = Date.now();
    let nextDue = Infinity;
    for (let i = 0; i < this.queue.length;) {
      const task = this.queue[i]!;
      if (task.run.status !== "Running") {
        this.queue.splice(i, 1);
        continue;
      }
      if (task.notBefore > now) {
        nextDue = Math.min(nextDue, task.notBefore);
        i++;
        continue;
      }
      if (!this.hasSlots(task.run)) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      void this.call(task);
    }
    if (nextDue !== Infinity) this.wakeTimer = setTimeout(() => this.pump(), nextDue - now);
  }

  private hasSlots(run: Run): boolean {
    const fn = this.functions.get(run.functionId);
    if (!fn) return true;
    return fn.concurrency.every((c, i) => (this.inFlight.get(run.concurrencySlots[i]!) ?? 0) < c.limit);
  }

  /** One call request (SDK spec §4.4): the event, the memoized steps and the stack; the answer drives the run. */
  private async call(task: Task): Promise<void> {
    const { run, stepId } = task;
    const fn = this.functions.get(run.functionId);
    if (!fn) return this.fail(run, { name: "Error", message: `Function ${run.functionId} is no longer registered` });
    for (const slot of run.concurrencySlots) this.inFlight.set(slot, (this.inFlight.get(slot) ?? 0) + 1);
    this.running++;
    const record: CallRecord = {
      runId: run.id,
      functionId: fn.id,
      stepId,
      attempt: run.attempt,
      slots: run.concurrencySlots,
      startedAt: Date.now(),
    };
    this.calls.push(record);
    try {
      const body = canonicalJson({
        event: run.event,
        events: [run.event],
        steps: run.steps,
        ctx: {
          run_id: run.id,
          attempt: run.attempt,
          max_attempts: fn.maxAttempts,
          disable_immediate_execution: run.disableImmediateExecution,
          use_api: false,
          stack: { stack: run.stack, current: run.stack.length },
        },
        version: 1,
      });
      const url = new URL(fn.url);
      url.searchParams.set("stepId", stepId);
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "x-inngest-server-kind": this.options.signingKey ? "cloud" : "dev",
      };
      if (this.options.signingKey) headers["x-inngest-signature"] = signatureHeader(body, this.options.signingKey);
      let response: Response;
      let text: string;
      try {
        response = await fetch(url, { method: "POST", headers, body });
        text = await response.text();
      } catch (error) {
        record.status = 0;
        return this.retryOrFail(run, { name: "FetchError", message: `The app could not be reached: ${(error as Error).message}` }, null);
      }
      record.status = response.status;
      if (this.options.signingKey && !verifySignatureHeader(response.headers.get("x-inngest-signature"), text, this.options.signingKey)) {
        this.problems.push(`${fn.id}: an answer (${response.status}) without a valid X-Inngest-Signature`);
        return this.retryOrFail(run, { name: "SignatureError", message: "The app's answer is not signed with the signing key" }, null);
      }
      this.handleAnswer(run, response, text, record);
    } finally {
      record.endedAt = Date.now();
      for (const slot of run.concurrencySlots) this.inFlight.set(slot, (this.inFlight.get(slot) ?? 1) - 1);
      this.running--;
      this.pump();
      this.changed();
    }
  }

  private handleAnswer(run: Run, response: Response, text: string, record: CallRecord): void {
    const parsed = parseJson(text);
    if (response.status === 200) return this.complete(run, parsed);
    if (response.status === 206) {
      const ops = (Array.isArray(parsed) ? parsed : [parsed]) as Op[];
      record.ops = ops.map((o) => o.op);
      return this.applyOps(run, ops, response);
    }
    const error = toError(parsed, `The app answered ${response.status}`);
    if (response.headers.get("x-inngest-no-retry") === "true") return this.fail(run, error);
    this.retryOrFail(run, error, response.headers.get("retry-after"));
  }

  /** The opcodes of SDK spec §5.3 that the app's functions use: run steps, their errors, plans and sleeps. */
  private applyOps(run: Run, ops: Op[], response: Response): void {
    if (ops.length > 1) run.disableImmediateExecution = true;
    let resume = false;
    for (const op of ops) {
      switch (op.op) {
        case "StepRun":
        case "Step":
          this.memoize(run, op, { type: "data", data: op.data ?? null });
          run.attempt = 0;
          resume = true;
          break;
        case "StepFailed":
          this.memoize(run, op, { type: "error", error: op.error ?? {} });
          run.attempt = 0;
          resume = true;
          break;
        case "StepError":
          // Retriable: the same step again after a backoff; the SDK sends StepFailed on the last attempt.
          this.retryStep(run, op.id, response.headers.get("retry-after"));
          break;
        case "StepPlanned":
          // A discovery call made while parallel steps run reports the unfinished ones again.
          if (!this.pendingCall(run, op.id)) this.enqueue(run, op.id, 0);
          break;
        case "Sleep": {
          const delay = sleepDelayMs(String(op.opts?.duration ?? "0s")) * this.options.timeScale;
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            this.memoize(run, op, { type: "data", data: null });
            this.enqueue(run, "step", 0);
          }, delay);
          this.timers.add(timer);
          break;
        }
        case "RunComplete":
          return this.complete(run, op.data ?? null);
        default:
          this.problems.push(`${run.functionId}: opcode ${op.op} is not supported by the executor`);
          return this.fail(run, { name: "UnsupportedOpcode", message: `Opcode ${op.op} is not supported by the test executor` });
      }
    }
    // The next discovery call, unless other calls of the run are still queued or running (parallel steps):
    // the last of them to finish makes it.
    if (resume && !this.queue.some((t) => t.run === run) && this.callsInFlight(run) <= 1) this.enqueue(run, "step", 0);
  }

  private pendingCall(run: Run, stepId: string): boolean {
    return (
      this.queue.some((t) => t.run === run && t.stepId === stepId) ||
      this.calls.some((c) => c.runId === run.id && c.stepId === stepId && c.endedAt === undefined)
    );
  }

  private callsInFlight(run: Run): number {
    return this.calls.filter((c) => c.runId === run.id && c.endedAt === undefined).length;
  }

  private memoize(run: Run, op: Op, result: Memoized): void {
    if (!(op.id in run.steps)) run.stack.push(op.id);
    run.steps[op.id] = result;
    run.stepNames.push(op.displayName ?? op.name ?? op.id);
  }

  private retryStep(run: Run, stepId: string, retryAfter: string | null): void {
    run.attempt++;
    this.enqueue(run, stepId, this.backoff(run.attempt, retryAfter));
  }

  private retryOrFail(run: Run, error: SerializedError, retryAfter: string | null): void {
    const fn = this.functions.get(run.functionId);
    if (run.attempt + 1 >= (fn?.maxAttempts ?? 1)) return this.fail(run, error);
    run.attempt++;
    this.enqueue(run, "step", this.backoff(run.attempt, retryAfter));
  }

  private backoff(attempt: number, retryAfter: string | null): number {
    if (retryAfter) {
      const seconds = Number(retryAfter);
      const at = Number.isFinite(seconds) ? Date.now() + seconds * 1000 : Date.parse(retryAfter);
      if (Number.isFinite(at)) return Math.max(0, at - Date.now()) * this.options.timeScale;
    }
    return this.options.retryBaseMs * 2 ** (attempt - 1);
  }

  private complete(run: Run, output: unknown): void {
    run.status = "Completed";
    run.output = output;
    run.endedAt = Date.now();
  }

  /** A run that failed for good triggers the functions listening for it: the SDK's onFailure handlers. */
  private fail(run: Run, error: SerializedError): void {
    if (run.status !== "Running") return;
    run.status = "Failed";
    run.error = error;
    run.endedAt = Date.now();
    this.send({ name: FAILED_EVENT, data: { function_id: run.functionId, run_id: run.id, error, event: run.event } });
  }

  // ── Waiting ─────────────────────────────────────────────────────────────────────────────────

  /** Nothing queued, running, sleeping or waiting out a debounce. */
  isIdle(): boolean {
    return this.queue.length === 0 && this.running === 0 && this.debounces.size === 0 && this.timers.size === 0;
  }

  /** Resolves when `condition` holds, re-checked at every change of the executor's state. */
  waitFor<T>(condition: () => T | undefined | null | false, timeoutMs = 30_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        let value: T | undefined | null | false;
        try {
          value = condition();
        } catch (error) {
          finish();
          reject(error);
          return;
        }
        if (value) {
          finish();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(
            `Inngest executor: condition not reached in ${timeoutMs} ms; runs: ${JSON.stringify(this.runs.map((r) => [r.functionId, r.status, r.stepNames.length, r.error?.message]))}`,
          ),
        );
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  idle(timeoutMs?: number): Promise<true> {
    return this.waitFor(() => this.isIdle(), timeoutMs);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of [this.wakeTimer, this.cronTimer, ...this.timers, ...[...this.debounces.values()].map((d) => d.timer)])
      if (timer) clearTimeout(timer);
    this.server.close();
    this.server.closeAllConnections();
    await once(this.server, "close").catch(() => undefined);
  }

  // ── HTTP ────────────────────────────────────────────────────────────────────────────────────

  /** The API and event endpoints the SDK calls: /fn/register, /e/<key>, /v0/runs/<id>/{actions,batch}. */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", this.url);
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    const authorised = () =>
      !this.options.signingKey || request.headers.authorization === `Bearer ${hashedSigningKey(this.options.signingKey)}`;
    try {
      if (request.method === "POST" && url.pathname === "/fn/register") {
        if (!authorised()) {
          this.problems.push("a sync without the hashed signing key as bearer token");
          return reply(401, { error: "The sync is not authorised with the signing key" });
        }
        const { modified } = this.register(JSON.parse(await readBody(request)));
        this.changed();
        return reply(200, { ok: true, modified });
      }
      const eventPath = /^\/e\/([^/]+)$/.exec(url.pathname);
      if (request.method === "POST" && eventPath) {
        if (this.options.eventKey && decodeURIComponent(eventPath[1]!) !== this.options.eventKey) {
          this.problems.push("events sent under a wrong event key");
          return reply(401, { error: "Event key not found", status: 401 });
        }
        if (this.eventFault)
          return reply(this.eventFault, {
            error: "Events refused by the test executor (a fault set by the test)",
            status: this.eventFault,
          });
        const parsed = JSON.parse(await readBody(request)) as unknown;
        const events = (Array.isArray(parsed) ? parsed : [parsed]) as Parameters<InngestExecutor["send"]>[0][];
        return reply(200, { ids: events.map((e) => this.send(e)), status: 200 });
      }
      const runPath = /^\/v0\/runs\/([^/]+)\/(actions|batch)$/.exec(url.pathname);
      if (request.method === "GET" && runPath) {
        if (!authorised()) return reply(401, { error: "Not authorised" });
        const run = this.runs.find((r) => r.id === runPath[1]);
        if (!run) return reply(404, { error: "Run not found" });
        return reply(200, runPath[2] === "actions" ? run.steps : [run.event]);
      }
      reply(404, { error: `The test executor serves no ${request.method} ${url.pathname}` });
    } catch (error) {
      reply(400, { error: (error as Error).message });
    }
  }
}

function parseFunctionConfig(raw: Record<string, unknown>): RegisteredFunction {
  const id = String(raw.id);
  const steps = raw.steps as Record<string, { runtime?: { url?: string }; retries?: { attempts?: number } }> | undefined;
  const step = steps?.step;
  if (!step?.runtime?.url) throw new Error(`Function ${id} has no step URL`);
  const concurrency =
    raw.concurrency === undefined || raw.concurrency === null ? [] : Array.isArray(raw.concurrency) ? raw.concurrency : [raw.concurrency];
  const debounce = raw.debounce as { key?: string; period: string; timeout?: string } | undefined;
  return {
    id,
    name: raw.name as string | undefined,
    url: step.runtime.url,
    triggers: (raw.triggers as Trigger[]) ?? [],
    // The config's "attempts" is what createFunction calls retries: attempts = retries + the first.
    maxAttempts: (step.retries?.attempts ?? DEFAULT_RETRIES) + 1,
    concurrency: concurrency.map((c: number | { limit: number; key?: string; scope?: ConcurrencyLimit["scope"] }) =>
      typeof c === "number" ? { limit: c, scope: "fn" as const } : { limit: c.limit, key: c.key, scope: c.scope ?? "fn" },
    ),
    debounce: debounce
      ? {
          key: debounce.key,
          periodMs: parseTimeString(debounce.period),
          timeoutMs: debounce.timeout ? parseTimeString(debounce.timeout) : undefined,
        }
      : undefined,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toError(value: unknown, fallback: string): SerializedError {
  if (value && typeof value === "object") {
    const e = value as SerializedError & { error?: string };
    return { name: e.name ?? "Error", message: e.message ?? e.error ?? fallback, stack: e.stack };
  }
  return { name: "Error", message: typeof value === "string" && value ? value : fallback };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Starts the executor; point the app's INNGEST_BASE_URL at `executor.url`, then `executor.sync(<app>/api/inngest)`. */
export async function startInngestExecutor(options: ExecutorOptions = {}): Promise<InngestExecutor> {
  let executor: InngestExecutor | undefined;
  const server = createServer((request, response) => void executor!.handle(request, response));
  server.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  await once(server, "listening");
  executor = new InngestExecutor(server, { retryBaseMs: 1000, timeScale: 1, ...options });
  return executor;
}
