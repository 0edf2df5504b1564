import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDatabricksEmulator, type DatabricksEmulator } from "@/testing/databricks-emulator";
import { newConfiguredProfile, newGroupWithUsers, newTenant, syncNow } from "@/testing/factories/scim-export";
import { createEdgeServer, type EdgeSettings } from "../http/server";
import { ScimClient } from "../scim-export/client/scim-client";
import { recordSignInEvent } from "../sso/sign-in-events";
import { metrics } from "./metrics";

/** GET /metrics on the product's real server (a stand-in for Next behind it), parsed as Prometheus text. */

const TOKEN = "metrics-token-0123456789abcdef";
const settings: EdgeSettings = { dev: false, https: false, allowPlainHttpIdps: false, trustedProxies: 0, scimMaxPayloadBytes: 1_048_576 };
const servers: Server[] = [];
let emulator: DatabricksEmulator;

async function start(metricsToken: string | null) {
  const server = createEdgeServer({ ...settings, metricsToken }, async (_request, response) => {
    response.writeHead(201, { "content-type": "application/json" }).end("{}");
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

type Family = { name: string; type: string; metrics: { value?: string; labels?: Record<string, string>; count?: string }[] };

async function scrape(base: string): Promise<Family[]> {
  const response = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusTextFormat(await response.text()) as Family[];
}

function value(families: Family[], name: string, labels: Record<string, string>): number {
  const family = families.find((f) => f.name === name);
  const metric = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return Number(metric?.value ?? metric?.count ?? 0);
}

async function latencyCount(route: string): Promise<number> {
  const { values } = await metrics().httpDuration.get();
  return values.find((v) => v.metricName === "lifecycle_http_request_duration_seconds_count" && v.labels.route === route)?.value ?? 0;
}

beforeAll(async () => {
  emulator = await startDatabricksEmulator();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await emulator.stop();
});

describe("GET /metrics", () => {
  it("does not exist without METRICS_TOKEN, and wants the token when set", async () => {
    expect((await fetch(`${await start(null)}/metrics`)).status).toBe(404);
    const base = await start(TOKEN);
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: "Bearer wrong-token-0123456789" } })).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it("parses as Prometheus text, and its counters move with requests, target calls, syncs and sign-ins", async () => {
    const base = await start(TOKEN);
    const before = await scrape(base);
    for (const name of [
      "lifecycle_http_requests_total",
      "lifecycle_http_request_duration_seconds",
      "lifecycle_export_sync_runs_total",
      "lifecycle_export_target_requests_total",
      "lifecycle_export_target_retries_total",
      "lifecycle_export_target_throttled_total",
      "lifecycle_job_queue_depth",
      "lifecycle_job_pickup_seconds",
      "lifecycle_sign_ins_total",
    ])
      expect(before.map((f) => f.name)).toContain(name);

    const latencyBefore = await latencyCount("/api/scim/v2/:tenant/Users/:id");
    // Three SCIM requests (answered by the stand-in), by route template and status.
    for (let i = 0; i < 3; i++) await fetch(`${base}/api/scim/v2/acme/Users/${crypto.randomUUID()}`);
    // A sync into the emulator: target requests and one SUCCEEDED run.
    const tenant = await newTenant();
    const { group } = await newGroupWithUsers(tenant.id, 2);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });
    expect((await syncNow(tenant.id, profileId)).status).toBe("SUCCEEDED");
    // 429s and their retries.
    const throttled = await startDatabricksEmulator({ faults: { throttleRate: 1 } });
    try {
      const client = new ScimClient({
        baseUrl: throttled.workspaceUrl,
        token: throttled.token,
        allowPrivate: true,
        maxAttempts: 2,
        backoffBaseMs: 1,
        backoffCapMs: 5,
      });
      expect((await client.request("GET", "/Users")).status).toBe(429);
    } finally {
      await throttled.stop();
    }
    await recordSignInEvent({ tenantId: tenant.id, outcome: "REFUSED", reason: "unknown_user" });

    const after = await scrape(base);
    const route = { route: "/api/scim/v2/:tenant/Users/:id", method: "GET", status: "201" };
    expect(value(after, "lifecycle_http_requests_total", route) - value(before, "lifecycle_http_requests_total", route)).toBe(3);
    // The parser drops a histogram's labels: its count per route is read from the registry itself.
    expect(await latencyCount("/api/scim/v2/:tenant/Users/:id")).toBe(latencyBefore + 3);
    const delta = (name: string, labels: Record<string, string> = {}) => value(after, name, labels) - value(before, name, labels);
    expect(delta("lifecycle_export_sync_runs_total", { outcome: "SUCCEEDED", mode: "full" })).toBe(1);
    expect(delta("lifecycle_export_target_requests_total", { method: "POST", answer: "2xx" })).toBeGreaterThanOrEqual(3);
    expect(delta("lifecycle_export_target_requests_total", { method: "GET", answer: "429" })).toBe(2);
    expect(delta("lifecycle_export_target_throttled_total")).toBe(2);
    expect(delta("lifecycle_export_target_retries_total")).toBe(1);
    expect(delta("lifecycle_sign_ins_total", { mode: "PORTAL", outcome: "REFUSED" })).toBe(1);
  });
});
