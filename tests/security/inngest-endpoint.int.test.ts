/**
 * Issue 13, item 1: /api/inngest ran jobs for anyone. The route, called as Next calls it, with
 * the settings of each case: 404 without Inngest; with Inngest Cloud every request must carry a
 * valid X-Inngest-Signature, computed here the way the SDK verifies it (no SDK code involved).
 */
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";

const SIGNING_KEY = `signkey-prod-${"5e".repeat(32)}`;
const OTHER_KEY = `signkey-prod-${"a7".repeat(32)}`;
const SCHEDULER = "lifecycle-console-scim-export-scheduler";

type Settings = Partial<
  Record<"INNGEST_EVENT_KEY" | "INNGEST_SIGNING_KEY" | "INNGEST_DEV" | "INNGEST_BASE_URL" | "INNGEST_DEV_INSECURE", string>
>;

/** The route module as a fresh server process with these settings would load it. */
async function routeWith(settings: Settings) {
  for (const name of ["INNGEST_EVENT_KEY", "INNGEST_SIGNING_KEY", "INNGEST_DEV", "INNGEST_BASE_URL", "INNGEST_DEV_INSECURE"] as const) {
    vi.stubEnv(name, settings[name]);
  }
  vi.resetModules();
  return import("@/app/api/inngest/route");
}

// Outgoing calls (sync, checkpoints) go to a closed local port, never to Inngest Cloud.
const cloud: Settings = { INNGEST_EVENT_KEY: "test-event-key", INNGEST_SIGNING_KEY: SIGNING_KEY, INNGEST_BASE_URL: "http://127.0.0.1:9" };

afterEach(() => vi.unstubAllEnvs());

/** RFC 8785 canonical JSON for plain data: keys sorted, no spaces. Inngest signs the body in this form. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * X-Inngest-Signature: `t=<unix seconds>&s=<hex HMAC-SHA256 of body + t>`, keyed with the signing
 * key without its `signkey-<env>-` prefix; the SDK refuses a t more than 5 minutes away.
 */
function signature(body: string, key: string, at = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac("sha256", key.replace(/^signkey-\w+-/, ""))
    .update(body + String(at))
    .digest("hex");
  return `t=${at}&s=${mac}`;
}

/** What an attacker sent: run the scheduler's step, as Inngest would ask for it. */
function schedulerRun(headers: Record<string, string> = {}, sign?: (body: string) => string): Request {
  const body = canonicalJson({
    ctx: {
      attempt: 0,
      disable_immediate_execution: false,
      run_id: "01JSECURITYTESTRUN0000000001",
      stack: { current: 0, stack: [] },
      use_api: false,
    },
    event: { data: { cron: "* * * * *" }, name: "inngest/scheduled.timer" },
    events: [{ data: { cron: "* * * * *" }, name: "inngest/scheduled.timer" }],
    steps: {},
    version: 1,
  });
  return new Request(`http://localhost:3000/api/inngest?fnId=${SCHEDULER}&stepId=step`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers, ...(sign ? { "x-inngest-signature": sign(body) } : {}) },
    body,
  });
}

function expectNoInternals(text: string) {
  expect(text).not.toMatch(/\n\s+at |stack|SyntaxError|prisma|postgres/i);
}

describe("/api/inngest without Inngest settings (jobs run in-process)", () => {
  it("answers 404 to every method, with nothing else, and runs nothing", async () => {
    const route = await routeWith({});
    const answers = [
      await route.GET(new Request("http://localhost:3000/api/inngest")),
      await route.PUT(new Request("http://localhost:3000/api/inngest", { method: "PUT" })),
      await route.POST(schedulerRun()),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(await answer.text()).toBe("Not found\n");
      expect([...answer.headers.keys()].filter((name) => name.startsWith("x-inngest"))).toEqual([]);
    }
  });
});

describe("/api/inngest with Inngest Cloud settings", () => {
  it("refuses an unsigned run request (401) and runs no step", async () => {
    const route = await routeWith(cloud);
    const answer = await route.POST(schedulerRun());
    expect(answer.status).toBe(401);
    const text = await answer.text();
    expect(text).not.toContain("queue-due-profiles");
    expectNoInternals(text);
  });

  it("refuses a run request signed with another key (401)", async () => {
    const route = await routeWith(cloud);
    const answer = await route.POST(schedulerRun({}, (body) => signature(body, OTHER_KEY)));
    expect(answer.status).toBe(401);
    expect(await answer.text()).not.toContain("queue-due-profiles");
  });

  it("refuses a correctly signed request whose timestamp is more than 5 minutes old (replay, 401)", async () => {
    const route = await routeWith(cloud);
    const answer = await route.POST(schedulerRun({}, (body) => signature(body, SIGNING_KEY, Math.floor(Date.now() / 1000) - 6 * 60)));
    expect(answer.status).toBe(401);
  });

  it("refuses a signature over another body (the body was changed after signing, 401)", async () => {
    const route = await routeWith(cloud);
    const answer = await route.POST(
      schedulerRun({}, (body) => signature(body.replace("01JSECURITYTESTRUN0000000001", "01JSECURITYTESTRUN0000000002"), SIGNING_KEY)),
    );
    expect(answer.status).toBe(401);
  });

  it("runs the step of a correctly signed request, and signs its answer", async () => {
    const route = await routeWith(cloud);
    const answer = await route.POST(schedulerRun({}, (body) => signature(body, SIGNING_KEY)));
    const text = await answer.text();
    expect(answer.status, text).toBe(206);
    expect(JSON.parse(text)).toMatchObject([{ displayName: "queue-due-profiles", data: { queued: 0 } }]);
    const [, at, mac] = answer.headers.get("x-inngest-signature")?.match(/^t=(\d+)&s=([0-9a-f]+)$/) ?? [];
    expect(mac).toBe(signature(text, SIGNING_KEY, Number(at)).split("&s=")[1]);
  });

  it("refuses an unsigned sync (PUT) instead of registering the functions with Inngest (401)", async () => {
    const route = await routeWith(cloud);
    const answer = await route.PUT(new Request("http://evil.example/api/inngest", { method: "PUT" }));
    expect(answer.status).toBe(401);
    expectNoInternals(await answer.text());
  });

  it("refuses an unsigned introspection (GET) without describing the functions (401)", async () => {
    const route = await routeWith(cloud);
    const answer = await route.GET(new Request("http://localhost:3000/api/inngest"));
    expect(answer.status).toBe(401);
    expect(await answer.text()).not.toContain("scim-export");
  });

  it("answers a body that is not JSON without a stack trace or a parser message", async () => {
    const route = await routeWith(cloud);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const answer = await route.POST(
        new Request(`http://localhost:3000/api/inngest?fnId=${SCHEDULER}`, {
          method: "POST",
          headers: { "x-inngest-signature": "t=1&s=00" },
          body: "{not json",
        }),
      );
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expectNoInternals(await answer.text());
    } finally {
      errors.mockRestore();
    }
  });
});
