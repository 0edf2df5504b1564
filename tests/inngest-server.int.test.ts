/**
 * Issue 15, item 2, end to end: the product as deployed (`npm start`: scripts/start.ts, the
 * product's own server in front of the production build in NEXT_DIST_DIR, built when stale),
 * configured for Inngest Cloud against the test executor. An IdP's SCIM requests to the server
 * reach the Databricks emulator through Inngest's protocol alone: the served /api/inngest is synced,
 * directory/changed is sent, debounced, and the sync's steps are called back on the server.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDatabricksEmulator, type DatabricksEmulator } from "@/testing/databricks-emulator";
import { startInngestExecutor, type InngestExecutor } from "@/testing/inngest-executor";

const PORT = Number(process.env.INNGEST_E2E_PORT ?? 3204);
const APP_URL = `http://127.0.0.1:${PORT}`;
const SIGNING_KEY = "signkey-test-5a4b3c2d1e0f5a4b3c2d1e0f5a4b3c2d";
const EVENT_KEY = "server-test-event-key";
/** Building the production bundle on a busy machine takes minutes; a fresh build is rare. */
const START_TIMEOUT_MS = 15 * 60_000;

let executor: InngestExecutor;
let emulator: DatabricksEmulator;
let server: ChildProcess | undefined;
const output: string[] = [];

async function waitForHealth(deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (server?.exitCode !== null && server?.exitCode !== undefined)
      throw new Error(`npm start exited (${server.exitCode}):\n${output.join("").slice(-4000)}`);
    const healthy = await fetch(`${APP_URL}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) return;
    // Not listening yet (building or starting): look again shortly.
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`npm start did not become healthy:\n${output.join("").slice(-4000)}`);
}

beforeAll(async () => {
  executor = await startInngestExecutor({ signingKey: SIGNING_KEY, eventKey: EVENT_KEY, retryBaseMs: 50, timeScale: 0.2 });
  emulator = await startDatabricksEmulator();
  server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: {
      ...process.env,
      PORT: String(PORT),
      HOSTNAME: "127.0.0.1",
      APP_URL,
      NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next-h4",
      INNGEST_EVENT_KEY: EVENT_KEY,
      INNGEST_SIGNING_KEY: SIGNING_KEY,
      INNGEST_BASE_URL: executor.url,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  server.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  await waitForHealth(Date.now() + START_TIMEOUT_MS);
  await executor.sync(`${APP_URL}/api/inngest`);
}, START_TIMEOUT_MS + 60_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await once(server, "exit");
  }
  await executor?.stop();
  await emulator?.stop();
}, 60_000);

async function scim(tenant: { slug: string; token: string }, method: string, path: string, body?: unknown) {
  const response = await fetch(`${APP_URL}/api/scim/v2/${tenant.slug}${path}`, {
    method,
    headers: { Authorization: `Bearer ${tenant.token}`, "Content-Type": "application/scim+json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as { id: string } };
}

describe("npm start in Inngest mode, against the test executor", () => {
  it("registers its functions at the public URL, and SCIM Import changes reach Databricks through Inngest's protocol", async () => {
    const fns = executor.registeredFunctions().map((f) => f.id);
    expect(fns).toContain("lifecycle-console-scim-export-directory-changed");
    expect(executor.registeredFunctions().every((f) => f.url.startsWith(`${APP_URL}/api/inngest?`))).toBe(true);

    const { newScimTenant } = await import("@/testing/factories/scim-import");
    const { newConfiguredProfile } = await import("@/testing/factories/scim-export");
    const tenant = await newScimTenant();
    const group = await scim(tenant, "POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Deployed Data",
    });
    expect(group.status).toBe(201);
    await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.body.id] });
    const user = await scim(tenant, "POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "hedy@deployed.test",
      name: { givenName: "Hedy", familyName: "L" },
      active: true,
    });
    expect(user.status).toBe(201);
    const patch = await scim(tenant, "PATCH", `/Groups/${group.body.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "add", path: "members", value: [{ value: user.body.id }] }],
    });
    expect(patch.status).toBeLessThan(300);

    await executor.waitFor(
      () => emulator.groupByName("Deployed Data")?.members.includes(emulator.userByName("hedy@deployed.test")?.id ?? "-"),
      60_000,
    );
    expect(executor.events.some((e) => e.name === "directory/changed" && e.data.tenantId === tenant.id)).toBe(true);
    const syncs = executor.runs.filter((r) => r.functionId === "lifecycle-console-scim-export-sync");
    expect(syncs.length).toBeGreaterThanOrEqual(1);
    expect(executor.problems).toEqual([]);
  }, 90_000);
});
