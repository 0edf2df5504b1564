import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { captureLogs } from "@/testing/log-capture";
import { createEdgeServer } from "../http/server";
import { loggedSteps } from "./step-log";

let capture: ReturnType<typeof captureLogs> | undefined;
afterEach(() => capture?.restore());

describe("structured logs", () => {
  it("one JSON line per request, after it finishes: route template, status, duration, tenant, request id", async () => {
    capture = captureLogs();
    const server = createEdgeServer(
      { dev: false, https: false, allowPlainHttpIdps: false, trustedProxies: 0, scimMaxPayloadBytes: 1_048_576 },
      async (_request, response) => void response.writeHead(204).end(),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await fetch(`${base}/api/scim/v2/acme/Users?filter=userName%20eq%20%22a%22`, { headers: { "x-request-id": "req-42" } });
      await vi.waitUntil(() => capture!.lines.some((l) => l.msg === "request"));
      expect(capture.lines.filter((l) => l.msg === "request")).toEqual([
        expect.objectContaining({
          level: "info",
          requestId: "req-42",
          method: "GET",
          route: "/api/scim/v2/:tenant/Users",
          status: 204,
          tenant: "acme",
          durationMs: expect.any(Number),
        }),
      ]);
      // Free text in the header is not a request id: the line gets the server's own.
      await fetch(`${base}/t/acme/made-up`, { headers: { "x-request-id": "admin logged in; rm -rf /" } });
      await vi.waitUntil(() => capture!.lines.filter((l) => l.msg === "request").length === 2);
      const second = capture.lines.filter((l) => l.msg === "request")[1]!;
      expect(second).toMatchObject({ route: "/t/:tenant/:other", requestId: expect.stringMatching(/^\d+-\d+$/) });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("one line per job step that runs: run, profile, step, duration, outcome", async () => {
    capture = captureLogs();
    const steps = loggedSteps({ run: (_id, fn) => fn() }, { job: "scim-export/sync", runId: "run-1", profileId: "p-1" });
    await steps.run("users-0", async () => ({ fatal: null, errors: 2 }));
    await steps.run("finish", async () => ({ status: "PARTIAL" }));
    await expect(steps.run("groups", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(capture.lines.map(({ runId, profileId, step, outcome }) => ({ runId, profileId, step, outcome }))).toEqual([
      { runId: "run-1", profileId: "p-1", step: "users-0", outcome: "errors" },
      { runId: "run-1", profileId: "p-1", step: "finish", outcome: "partial" },
      { runId: "run-1", profileId: "p-1", step: "groups", outcome: "threw" },
    ]);
    expect(capture.lines.every((l) => typeof l.durationMs === "number")).toBe(true);
  });
});
