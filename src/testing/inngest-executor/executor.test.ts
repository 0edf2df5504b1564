/**
 * The executor against the real Inngest SDK (serve() from inngest/next, as the app serves it): a
 * small app of its own whose functions use each behaviour the executor claims.
 */
import { cron, Inngest, NonRetriableError } from "inngest";
import { serve } from "inngest/next";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveFetchHandler, startInngestExecutor, type FetchServer, type InngestExecutor } from "./index";

const SIGNING_KEY = "signkey-test-0123456789abcdef0123456789abcdef";
const EVENT_KEY = "test-event-key";

let executor: InngestExecutor;
let app: FetchServer;
let appUrl: string;
const seen = { stepA: 0, flaky: 0, failures: [] as unknown[], slow: [] as string[] };

beforeAll(async () => {
  executor = await startInngestExecutor({ signingKey: SIGNING_KEY, eventKey: EVENT_KEY, retryBaseMs: 20, timeScale: 0.1 });
  const client = new Inngest({ id: "executor-test", isDev: false, signingKey: SIGNING_KEY, eventKey: EVENT_KEY, baseUrl: executor.url });
  const functions = [
    client.createFunction({ id: "steps", triggers: [{ event: "test/steps" }] }, async ({ event, step }) => {
      const a = await step.run("a", () => {
        seen.stepA++;
        return `A${String(event.data.n)}`;
      });
      await step.sleep("pause", "2s");
      const b = await step.run("b", () => `${a}B`);
      return { b };
    }),
    client.createFunction({ id: "flaky", triggers: [{ event: "test/flaky" }], retries: 3 }, async ({ step }) =>
      step.run("sometimes", () => {
        seen.flaky++;
        if (seen.flaky < 3) throw new Error(`failure ${seen.flaky}`);
        return "ok";
      }),
    ),
    client.createFunction(
      {
        id: "doomed",
        triggers: [{ event: "test/doomed" }],
        retries: 1,
        onFailure: async ({ event, error }) => {
          seen.failures.push({ original: (event.data as { event: { data: unknown } }).event.data, message: error.message });
        },
      },
      async ({ step }) => {
        await step.run("first", () => "fine");
        throw new NonRetriableError("gave up on purpose");
      },
    ),
    client.createFunction({ id: "caught", triggers: [{ event: "test/caught" }], retries: 1 }, async ({ step }) => {
      try {
        await step.run("always-fails", () => {
          throw new Error("nope");
        });
      } catch (error) {
        return { caught: (error as Error).message };
      }
      return { caught: null };
    }),
    client.createFunction({ id: "parallel", triggers: [{ event: "test/parallel" }] }, async ({ step }) => {
      const [x, y] = await Promise.all([
        step.run("x", () => "X"),
        step.run("y", () => new Promise<string>((r) => setTimeout(() => r("Y"), 50))),
      ]);
      return step.run("z", () => `${x}${y}Z`);
    }),
    client.createFunction(
      { id: "one-per-key", triggers: [{ event: "test/slow" }], concurrency: { key: "event.data.key", limit: 1 } },
      async ({ event, step }) => {
        await step.run("work", async () => {
          seen.slow.push(String(event.data.key));
          await new Promise((r) => setTimeout(r, 150));
        });
        await step.run("more-work", () => new Promise((r) => setTimeout(r, 50)));
      },
    ),
    client.createFunction(
      { id: "debounced", triggers: [{ event: "test/changed" }], debounce: { key: "event.data.tenant", period: "3s" } },
      async ({ event, step }) => step.run("handle", () => event.data.seq),
    ),
    client.createFunction(
      { id: "capped", triggers: [{ event: "test/stream" }], debounce: { period: "3s", timeout: "5s" } },
      async ({ event, step }) => step.run("handle", () => event.data.seq),
    ),
    client.createFunction({ id: "every-quarter", triggers: [cron("*/15 * * * *")] }, async ({ step }) => step.run("tick", () => "ticked")),
  ];
  let handlers: ReturnType<typeof serve> | undefined;
  app = await serveFetchHandler((request) => {
    const method = request.method as "GET" | "POST" | "PUT";
    return handlers![method](request as Parameters<ReturnType<typeof serve>["GET"]>[0], undefined);
  });
  appUrl = `${app.origin}/api/inngest`;
  handlers = serve({ client, functions, enableUnauthedSync: false, serveOrigin: app.origin, servePath: "/api/inngest" });
});
afterAll(async () => {
  await app?.stop();
  await executor?.stop();
});

const runOf = (functionSuffix: string) => executor.runs.filter((r) => r.functionId === `executor-test-${functionSuffix}`);

describe("the Inngest executor, with the real SDK", () => {
  it("syncs the app through its served route (PUT, signed), receiving every function's config", async () => {
    await executor.sync(appUrl);
    const ids = executor.registeredFunctions().map((f) => f.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "executor-test-steps",
        "executor-test-doomed",
        "executor-test-doomed-failure",
        "executor-test-every-quarter",
      ]),
    );
    const perKey = executor.registeredFunctions().find((f) => f.id === "executor-test-one-per-key")!;
    expect(perKey.concurrency).toEqual([{ limit: 1, key: "event.data.key", scope: "fn" }]);
    expect(executor.registeredFunctions().find((f) => f.id === "executor-test-debounced")!.debounce).toEqual({
      key: "event.data.tenant",
      periodMs: 3000,
      timeoutMs: undefined,
    });
  });

  it("runs steps one call at a time with memoized results, sleeps, and returns the function's output", async () => {
    await fetch(`${executor.url}/e/${EVENT_KEY}`, { method: "POST", body: JSON.stringify([{ name: "test/steps", data: { n: 7 } }]) });
    const run = await executor.waitFor(() => runOf("steps").find((r) => r.status !== "Running"));
    expect(run.status).toBe("Completed");
    expect(run.output).toEqual({ b: "A7B" });
    expect(run.stepNames).toEqual(["a", "pause", "b"]);
    expect(seen.stepA).toBe(1);
    const calls = executor.calls.filter((c) => c.runId === run.id);
    expect(calls.map((c) => c.ops ?? c.status)).toEqual([["StepRun"], ["Sleep"], ["StepRun"], 200]);
    expect(executor.problems).toEqual([]);
  });

  it("retries a failing step with backoff until it succeeds, as the step's own attempts", async () => {
    executor.send({ name: "test/flaky" });
    const run = await executor.waitFor(() => runOf("flaky").find((r) => r.status !== "Running"));
    expect(run.status).toBe("Completed");
    expect(run.output).toBe("ok");
    expect(seen.flaky).toBe(3);
    expect(executor.calls.filter((c) => c.runId === run.id).map((c) => [c.attempt, c.ops?.[0] ?? c.status])).toEqual([
      [0, "StepError"],
      [1, "StepError"],
      [2, "StepRun"],
      [0, 200],
    ]);
  });

  it("memoizes a step that failed its last attempt as an error the function can catch", async () => {
    executor.send({ name: "test/caught" });
    const run = await executor.waitFor(() => runOf("caught").find((r) => r.status !== "Running"));
    expect(run.output).toEqual({ caught: "nope" });
    expect(executor.calls.filter((c) => c.runId === run.id).map((c) => c.ops?.[0] ?? c.status)).toEqual(["StepError", "StepFailed", 200]);
  });

  it("runs parallel steps as planned (StepPlanned → one call per step), then goes on", async () => {
    executor.send({ name: "test/parallel" });
    const run = await executor.waitFor(() => runOf("parallel").find((r) => r.status !== "Running"));
    expect(run.output).toBe("XYZ");
    expect([...run.stepNames.slice(0, 2)].sort()).toEqual(["x", "y"]);
    expect(run.stepNames.slice(2)).toEqual(["z"]);
    const calls = executor.calls.filter((c) => c.runId === run.id);
    expect(calls[0]!.ops).toEqual(["StepPlanned", "StepPlanned"]);
    // Each planned step is called once; after a parallel plan, later steps are planned too (no immediate execution).
    const stepCalls = calls.filter((c) => c.stepId !== "step");
    expect(stepCalls.map((c) => c.ops)).toEqual([["StepRun"], ["StepRun"], ["StepRun"]]);
    expect(new Set(stepCalls.map((c) => c.stepId)).size).toBe(3);
    expect(run.disableImmediateExecution).toBe(true);
    expect(calls.at(-1)!.status).toBe(200);
  });

  it("fails a run on a non-retriable error and calls its onFailure handler with the original event", async () => {
    executor.send({ name: "test/doomed", data: { who: "x" } });
    const run = await executor.waitFor(() => runOf("doomed").find((r) => r.status !== "Running"));
    expect(run.status).toBe("Failed");
    expect(run.error?.message).toBe("gave up on purpose");
    await executor.waitFor(() => runOf("doomed-failure").find((r) => r.status === "Completed"));
    expect(seen.failures).toEqual([{ original: { who: "x" }, message: "gave up on purpose" }]);
  });

  it("never runs two steps of one concurrency key at once; other keys go ahead meanwhile", async () => {
    for (const key of ["k1", "k1", "k1", "k2"]) executor.send({ name: "test/slow", data: { key } });
    await executor.waitFor(() => runOf("one-per-key").length === 4 && runOf("one-per-key").every((r) => r.status === "Completed"));
    const calls = executor.calls.filter((c) => c.functionId === "executor-test-one-per-key");
    const overlap = (key: string) =>
      calls
        .filter((c) => c.slots[0]!.endsWith(`:${key}`))
        .some((a, _, all) => all.some((b) => a !== b && a.startedAt < b.endedAt! && b.startedAt < a.endedAt!));
    expect(overlap("k1")).toBe(false);
    expect(
      calls.some(
        (a) =>
          a.slots[0]!.endsWith(":k1") &&
          calls.some((b) => b.slots[0]!.endsWith(":k2") && a.startedAt < b.endedAt! && b.startedAt < a.endedAt!),
      ),
    ).toBe(true);
  });

  it("debounces per key: a burst becomes one run with the last event", async () => {
    for (let seq = 1; seq <= 5; seq++) executor.send({ name: "test/changed", data: { tenant: "t1", seq } });
    executor.send({ name: "test/changed", data: { tenant: "t2", seq: 1 } });
    await executor.waitFor(() => runOf("debounced").length === 2 && runOf("debounced").every((r) => r.status === "Completed"));
    expect(
      runOf("debounced")
        .map((r) => [r.event.data.tenant, r.output])
        .sort(),
    ).toEqual([
      ["t1", 5],
      ["t2", 1],
    ]);
  });

  it("a debounce timeout runs a steady stream's latest event instead of waiting for a quiet period", async () => {
    // Scaled: a 300 ms quiet period, at most 500 ms from the first event; events every 50 ms for a second.
    for (let seq = 1; seq <= 20; seq++) {
      executor.send({ name: "test/stream", data: { seq } });
      await new Promise((r) => setTimeout(r, 50));
    }
    const firstRun = runOf("capped")[0];
    expect(firstRun).toBeDefined();
    expect(firstRun!.event.data.seq).toBeLessThan(20);
    await executor.waitFor(() => runOf("capped").every((r) => r.status === "Completed") && executor.isIdle());
  });

  it("starts cron functions in the minutes their schedule names", async () => {
    expect(executor.tickCron(new Date(Date.UTC(2026, 0, 1, 10, 7)))).toEqual([]);
    const [run] = executor.tickCron(new Date(Date.UTC(2026, 0, 1, 10, 15)));
    expect(run?.functionId).toBe("executor-test-every-quarter");
    await executor.waitFor(() => run!.status === "Completed");
    expect(run!.output).toBe("ticked");
  });

  it("is refused by an app with another signing key, and refuses events under a wrong event key", async () => {
    const stranger = await startInngestExecutor({ signingKey: "signkey-test-ffffffff", eventKey: EVENT_KEY });
    try {
      await expect(stranger.sync(appUrl)).rejects.toThrow(/refused the sync \(401\)/);
    } finally {
      await stranger.stop();
    }
    const wrongKey = await fetch(`${executor.url}/e/not-the-key`, {
      method: "POST",
      body: JSON.stringify({ name: "test/steps", data: {} }),
    });
    expect(wrongKey.status).toBe(401);
  });
});
