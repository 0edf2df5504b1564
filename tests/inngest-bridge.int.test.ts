/**
 * Issue 15, items 1 and 2: the app in Inngest mode against the test executor
 * (src/testing/inngest-executor), through the app's real route modules: /api/inngest
 * (serve() of the job functions, signed) and SCIM Import's route. A SCIM Import change reaches the
 * Databricks emulator by directory/changed → the debounced function → scim-export/sync.requested
 * → the sync function, with nothing but Inngest's protocol in between.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDatabricksEmulator, type DatabricksEmulator } from "@/testing/databricks-emulator";
import { serveFetchHandler, startInngestExecutor, type FetchServer, type InngestExecutor, type Run } from "@/testing/inngest-executor";

const SIGNING_KEY = "signkey-test-8f1e2d3c4b5a69788f1e2d3c4b5a6978";
const EVENT_KEY = "bridge-test-event-key";
const APP = "lifecycle-console";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type RouteModule = Partial<Record<Method, (request: Request, context: { params: Promise<Record<string, unknown>> }) => Promise<Response>>>;

let executor: InngestExecutor;
let app: FetchServer;
let emulator: DatabricksEmulator;

beforeAll(async () => {
  // Debounce "3s" runs in 600 ms; retries wait 20 ms, 40 ms, …
  executor = await startInngestExecutor({ signingKey: SIGNING_KEY, eventKey: EVENT_KEY, retryBaseMs: 20, timeScale: 0.2 });
  emulator = await startDatabricksEmulator();
  let routes: { inngest: RouteModule; scim: RouteModule } | undefined;
  app = await serveFetchHandler(async (request) => {
    const url = new URL(request.url);
    const method = request.method as Method;
    if (url.pathname === "/api/inngest") return routes!.inngest[method]!(request, { params: Promise.resolve({}) });
    const scim = /^\/api\/scim\/v2\/([^/]+)(?:\/(.*))?$/.exec(url.pathname);
    if (scim)
      return routes!.scim[method]!(request, {
        params: Promise.resolve({ tenant: scim[1], path: scim[2]?.split("/").map(decodeURIComponent) }),
      });
    return new Response("not found", { status: 404 });
  });
  // The app reads its settings on first use: Inngest Cloud's keys, the executor as Inngest, this server as APP_URL.
  Object.assign(process.env, {
    INNGEST_EVENT_KEY: EVENT_KEY,
    INNGEST_SIGNING_KEY: SIGNING_KEY,
    INNGEST_BASE_URL: executor.url,
    APP_URL: app.origin,
  });
  routes = {
    inngest: (await import("@/app/api/inngest/route")) as unknown as RouteModule,
    scim: (await import("@/app/api/scim/v2/[tenant]/[[...path]]/route")) as unknown as RouteModule,
  };
  await executor.sync(`${app.origin}/api/inngest`);
});
afterAll(async () => {
  await app?.stop();
  await executor?.stop();
  await emulator?.stop();
});

const runsOf = (fn: string) => executor.runs.filter((r) => r.functionId === `${APP}-${fn}`);
const finished = (run: Run) => run.status !== "Running";

async function scim(tenant: { slug: string; token: string }, method: Method, path: string, body?: unknown) {
  const response = await fetch(`${app.origin}/api/scim/v2/${tenant.slug}${path}`, {
    method,
    headers: { Authorization: `Bearer ${tenant.token}`, "Content-Type": "application/scim+json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe("Inngest mode against the test executor", () => {
  it("syncs the served /api/inngest: the sync (with its failure handler), the cron scheduler and the debounced change function", () => {
    const fns = Object.fromEntries(executor.registeredFunctions().map((f) => [f.id, f]));
    expect(Object.keys(fns).sort()).toEqual([
      `${APP}-retention-prune`,
      `${APP}-scim-export-directory-changed`,
      `${APP}-scim-export-scheduler`,
      `${APP}-scim-export-sync`,
      `${APP}-scim-export-sync-failure`,
      `${APP}-sso-metadata-refresh`,
    ]);
    expect(fns[`${APP}-scim-export-sync`]!.concurrency).toEqual([{ limit: 1, key: "event.data.profileId", scope: "fn" }]);
    expect(fns[`${APP}-scim-export-sync`]!.maxAttempts).toBe(5);
    expect(fns[`${APP}-scim-export-scheduler`]!.triggers).toEqual([{ cron: "* * * * *" }]);
    expect(fns[`${APP}-retention-prune`]!.triggers).toEqual([{ cron: "17 3 * * *" }]);
    expect(fns[`${APP}-scim-export-directory-changed`]!.debounce).toEqual({
      key: "event.data.tenantId",
      periodMs: 3000,
      timeoutMs: 10_000,
    });
    expect(fns[`${APP}-scim-export-sync`]!.url).toBe(`${app.origin}/api/inngest?fnId=${APP}-scim-export-sync&stepId=step`);
  });

  it("SCIM Import changes reach Databricks: directory/changed, debounced per tenant, then the sync's steps", async () => {
    const { newScimTenant } = await import("@/testing/factories/scim-import");
    const { newConfiguredProfile } = await import("@/testing/factories/scim-export");
    const { db } = await import("@/server/db");
    const tenant = await newScimTenant();
    const group = await scim(tenant, "POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Bridge Data",
    });
    expect(group.status).toBe(201);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.body.id] });
    await executor.waitFor(() => runsOf("scim-export-directory-changed").some((r) => r.event.data.tenantId === tenant.id && finished(r)));
    const before = runsOf("scim-export-directory-changed").filter((r) => r.event.data.tenantId === tenant.id).length;

    // An Okta-shaped burst: three users, then one PATCH adding them to the group.
    const ids: string[] = [];
    for (const name of ["ada", "grace", "alan"]) {
      const user = await scim(tenant, "POST", "/Users", {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName: `${name}@bridge.test`,
        name: { givenName: name, familyName: "Test" },
        active: true,
      });
      expect(user.status).toBe(201);
      ids.push(user.body.id);
    }
    const patch = await scim(tenant, "PATCH", `/Groups/${group.body.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "add", path: "members", value: ids.map((value) => ({ value })) }],
    });
    expect(patch.status).toBeLessThan(300);

    await executor.waitFor(
      () =>
        ["ada", "grace", "alan"].every((n) =>
          emulator.groupByName("Bridge Data")?.members.includes(emulator.userByName(`${n}@bridge.test`)?.id ?? "-"),
        ),
      20_000,
    );
    const notices = executor.events.filter((e) => e.name === "directory/changed" && e.data.tenantId === tenant.id);
    // Four writes, coalesced per tenant before sending, debounced again by the function.
    expect(notices.length).toBeGreaterThanOrEqual(1);
    expect(notices.length).toBeLessThanOrEqual(5);
    const changeRuns = runsOf("scim-export-directory-changed").filter((r) => r.event.data.tenantId === tenant.id);
    expect(changeRuns.length - before).toBeLessThan(notices.length + 1);

    const syncs = runsOf("scim-export-sync").filter((r) => r.event.data.profileId === profileId);
    await executor.waitFor(() => syncs.length > 0 && syncs.every(finished));
    const exportRuns = await db().exportRun.findMany({ where: { profileId }, select: { id: true, trigger: true, status: true } });
    expect(exportRuns.every((r) => r.trigger === "CHANGE" && r.status === "SUCCEEDED")).toBe(true);
    const last = syncs.at(-1)!;
    expect(last.status).toBe("Completed");
    expect(last.stepNames[0]).toBe("start");
    expect(last.stepNames.at(-1)).toBe("finish");
    expect(executor.problems).toEqual([]);
  });

  it("console changes (tRPC mutations of users and groups) reach Databricks the same way", async () => {
    const { newOwner } = await import("@/testing/factories/trpc");
    const { newConfiguredProfile } = await import("@/testing/factories/scim-export");
    const owner = await newOwner();
    const tenantSlug = owner.slug;
    const group = await owner.caller.groups.create({ tenantSlug, displayName: "Console Data" });
    await newConfiguredProfile(owner.tenantId, emulator, { groupIds: [group.id] });
    const form = { givenName: "Lin", familyName: "Console", displayName: "", email: "", title: "", department: "", active: true };
    const { id } = await owner.caller.users.create({ tenantSlug, userName: "lin@console.test", ...form });
    await owner.caller.groups.addMembers({ tenantSlug, groupId: group.id, userIds: [id] });

    await executor.waitFor(
      () => emulator.groupByName("Console Data")?.members.includes(emulator.userByName("lin@console.test")?.id ?? "-"),
      20_000,
    );
    expect(executor.events.some((e) => e.name === "directory/changed" && e.data.tenantId === owner.tenantId)).toBe(true);
  });

  it("the cron function queues a due profile's sync, which runs", async () => {
    const { newTenant, newGroupWithUsers, newConfiguredProfile } = await import("@/testing/factories/scim-export");
    const { db } = await import("@/server/db");
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 2);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });
    await executor.waitFor(() => executor.isIdle());
    await db().exportRun.deleteMany({ where: { profileId } });
    await db().exportProfile.update({
      where: { id: profileId },
      data: { nextSyncAt: new Date(Date.now() - 60_000), changeWatermark: BigInt(Number.MAX_SAFE_INTEGER) },
    });

    const [tick] = executor.tickCron(new Date());
    await executor.waitFor(() => finished(tick!));
    expect(tick!.status).toBe("Completed");
    expect((tick!.output as { queued: number }).queued).toBeGreaterThanOrEqual(1);
    const run = await executor.waitFor(() => runsOf("scim-export-sync").find((r) => r.event.data.profileId === profileId && finished(r)));
    expect(run.status).toBe("Completed");
    // A first sync is a full pass: each stage is one step, called and memoized in order.
    expect(run.stepNames).toEqual([
      "start",
      "plan",
      "probe",
      "read-target",
      "users-0",
      "groups",
      "leavers",
      "memberships-0",
      "group-leavers",
      "finish",
    ]);
    expect(await db().exportRun.findFirstOrThrow({ where: { profileId }, select: { trigger: true, status: true } })).toEqual({
      trigger: "SCHEDULE",
      status: "SUCCEEDED",
    });
    for (const u of users) expect(emulator.userByName(u.userName)).toBeDefined();
  });

  it("one running sync per profile: a run requested while another runs waits for it (Inngest's limit counts steps, not runs)", async () => {
    const { newTenant, newGroupWithUsers, newConfiguredProfile } = await import("@/testing/factories/scim-export");
    const { requestExportSync } = await import("@/server/scim-export");
    const { db } = await import("@/server/db");
    const slow = await startDatabricksEmulator({ latencyMs: 40 });
    try {
      const tenant = await newTenant();
      const { group } = await newGroupWithUsers(tenant.id, 12);
      const profileId = await newConfiguredProfile(tenant.id, slow, { groupIds: [group.id], concurrency: 1 });
      await executor.waitFor(() => executor.isIdle());
      await db().exportRun.deleteMany({ where: { profileId } });

      const first = await requestExportSync({ tenantId: tenant.id, profileId, full: true });
      // The first run has started (its "start" step is memoized): the run row is RUNNING.
      await executor.waitFor(() =>
        runsOf("scim-export-sync").find((r) => r.event.data.runId === first.runId && r.stepNames.includes("start")),
      );
      const second = await requestExportSync({ tenantId: tenant.id, profileId, full: true });
      expect(second.runId).not.toBe(first.runId);

      await executor.waitFor(
        () => [first, second].every(({ runId }) => runsOf("scim-export-sync").some((r) => r.event.data.runId === runId && finished(r))),
        60_000,
      );
      const [a, b] = await Promise.all(
        [first, second].map(({ runId }) =>
          db().exportRun.findUniqueOrThrow({ where: { id: runId }, select: { status: true, startedAt: true, finishedAt: true } }),
        ),
      );
      expect([a!.status, b!.status]).toEqual(["SUCCEEDED", "SUCCEEDED"]);
      expect(b!.startedAt!.getTime()).toBeGreaterThanOrEqual(a!.finishedAt!.getTime());
    } finally {
      await slow.stop();
    }
  });

  it("Provision on Demand holds the profile under Inngest too: refused while a sync runs, a sync requested meanwhile waits, a dead server's hold expires", async () => {
    const { newTenant, newGroupWithUsers, newConfiguredProfile } = await import("@/testing/factories/scim-export");
    const { requestExportSync, provisionUserOnDemand } = await import("@/server/scim-export");
    const { PROVISION_ON_DEMAND_FUNCTION_ID, profileKey } = await import("@/server/scim-export/job-ids");
    const { db } = await import("@/server/db");
    const slow = await startDatabricksEmulator({ latencyMs: 40 });
    const syncDone = async (runId: string) => {
      await executor.waitFor(() => runsOf("scim-export-sync").find((r) => r.event.data.runId === runId && finished(r)), 60_000);
      return db().exportRun.findUniqueOrThrow({ where: { id: runId }, select: { status: true, startedAt: true, finishedAt: true } });
    };
    try {
      const tenant = await newTenant();
      const { group, users } = await newGroupWithUsers(tenant.id, 12);
      const profileId = await newConfiguredProfile(tenant.id, slow, { groupIds: [group.id], concurrency: 1 });
      await executor.waitFor(() => executor.isIdle());
      await db().exportRun.deleteMany({ where: { profileId } });

      // 1. While an Inngest sync of the profile runs, Provision on Demand is refused (409 in the console).
      const sync = await requestExportSync({ tenantId: tenant.id, profileId, full: true });
      await executor.waitFor(() =>
        runsOf("scim-export-sync").find((r) => r.event.data.runId === sync.runId && r.stepNames.includes("start")),
      );
      await expect(provisionUserOnDemand({ tenantId: tenant.id, profileId, userId: users[0]!.id })).rejects.toMatchObject({
        code: "CONFLICT",
      });
      expect(await db().exportRun.count({ where: { profileId, trigger: "ON_DEMAND" } })).toBe(0);
      expect((await syncDone(sync.runId)).status).toBe("SUCCEEDED");

      // 2. A sync requested while Provision on Demand runs waits for it: it starts after the provisioning finished.
      let during: Promise<{ runId: string }> | undefined;
      slow.options.beforeApply = () => {
        slow.options.beforeApply = undefined;
        during = requestExportSync({ tenantId: tenant.id, profileId, full: true });
      };
      const provisioned = await provisionUserOnDemand({ tenantId: tenant.id, profileId, userId: users[1]!.id });
      expect(provisioned.outcome).not.toBe("failed");
      const duringRunId = (await during!).runId;
      const waited = await syncDone(duringRunId);
      const pod = await db().exportRun.findUniqueOrThrow({ where: { id: provisioned.runId } });
      expect(waited.status).toBe("SUCCEEDED");
      expect(waited.startedAt!.getTime()).toBeGreaterThanOrEqual(pod.finishedAt!.getTime());
      const waitedRun = runsOf("scim-export-sync").find((r) => r.event.data.runId === duringRunId)!;
      expect(waitedRun.stepNames.some((n) => n.startsWith("profile-busy-"))).toBe(true);

      // 3. A server that died during Provision on Demand leaves its hold and a RUNNING run: while the
      // lease runs a sync waits; once it expired, the sync releases the hold, closes that run, and runs.
      const deadRun = await db().exportRun.create({
        data: {
          tenantId: tenant.id,
          profileId,
          trigger: "ON_DEMAND",
          status: "RUNNING",
          startedAt: new Date(),
          subjectUserId: users[2]!.id,
        },
        select: { id: true },
      });
      const hold = await db().jobRun.create({
        data: {
          functionId: PROVISION_ON_DEMAND_FUNCTION_ID,
          eventName: "scim-export/provision-on-demand",
          eventData: { tenantId: tenant.id, profileId, runId: deadRun.id },
          concurrencyKey: profileKey(profileId),
          status: "RUNNING",
          attempts: 1,
          leaseUntil: new Date(Date.now() + 60_000),
          leaseOwner: "dead-server:1",
        },
        select: { id: true },
      });
      const blocked = await requestExportSync({ tenantId: tenant.id, profileId, full: true });
      await executor.waitFor(() =>
        runsOf("scim-export-sync").find((r) => r.event.data.runId === blocked.runId && r.stepNames.includes("profile-busy-0")),
      );
      expect((await db().exportRun.findUniqueOrThrow({ where: { id: blocked.runId } })).status).toBe("QUEUED");
      await expect(provisionUserOnDemand({ tenantId: tenant.id, profileId, userId: users[3]!.id })).rejects.toMatchObject({
        code: "CONFLICT",
      });
      await db().jobRun.update({ where: { id: hold.id }, data: { leaseUntil: new Date(Date.now() - 1000) } });
      expect((await syncDone(blocked.runId)).status).toBe("SUCCEEDED");
      expect(await db().exportRun.findUniqueOrThrow({ where: { id: deadRun.id } })).toMatchObject({
        status: "FAILED",
        message: expect.stringMatching(/interrupted/),
      });
      expect((await db().jobRun.findUniqueOrThrow({ where: { id: hold.id } })).status).toBe("FAILED");
      expect((await provisionUserOnDemand({ tenantId: tenant.id, profileId, userId: users[3]!.id })).outcome).not.toBe("failed");
    } finally {
      await slow.stop();
    }
  });

  it("a sync that keeps throwing is retried, then its onFailure handler closes the run as FAILED", async () => {
    const { newTenant, newGroupWithUsers, newConfiguredProfile } = await import("@/testing/factories/scim-export");
    const { requestExportSync } = await import("@/server/scim-export");
    const { db } = await import("@/server/db");
    const tenant = await newTenant();
    const { group } = await newGroupWithUsers(tenant.id, 1);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });
    await executor.waitFor(() => executor.isIdle());
    // A token that no longer decrypts (as after a lost ENCRYPTION_KEY): every attempt throws.
    await db().exportProfile.update({ where: { id: profileId }, data: { tokenCiphertext: "v1.not-a-ciphertext" } });
    const { runId } = await requestExportSync({ tenantId: tenant.id, profileId });

    const failure = await executor.waitFor(() =>
      runsOf("scim-export-sync-failure").find(
        (r) => (r.event.data.event as { data: { runId: string } }).data.runId === runId && finished(r),
      ),
    );
    expect(failure.status).toBe("Completed");
    const run = runsOf("scim-export-sync").find((r) => r.event.data.runId === runId)!;
    expect(run.status).toBe("Failed");
    expect(executor.calls.filter((c) => c.runId === run.id && c.ops?.includes("StepError")).length).toBeGreaterThanOrEqual(1);
    const row = await db().exportRun.findUniqueOrThrow({ where: { id: runId }, select: { status: true, message: true } });
    expect(row.status).toBe("FAILED");
    expect(row.message).toMatch(/internal error/);
  });

  it("a sync request Inngest refuses leaves no QUEUED run: it is closed as FAILED with a reason, and the next request queues afresh", async () => {
    const { newTenant, newGroupWithUsers, newConfiguredProfile } = await import("@/testing/factories/scim-export");
    const { requestExportSync } = await import("@/server/scim-export");
    const { db } = await import("@/server/db");
    const tenant = await newTenant();
    const { group } = await newGroupWithUsers(tenant.id, 1);
    const profileId = await newConfiguredProfile(tenant.id, emulator, { groupIds: [group.id] });
    await executor.waitFor(() => executor.isIdle());

    executor.refuseEvents(503);
    let refused: { runId: string };
    try {
      refused = await requestExportSync({ tenantId: tenant.id, profileId });
    } finally {
      executor.refuseEvents(null);
    }
    const row = await db().exportRun.findUniqueOrThrow({
      where: { id: refused.runId },
      select: { status: true, message: true, finishedAt: true },
    });
    expect(row.status).toBe("FAILED");
    expect(row.message).toMatch(/could not be queued.*Press Sync to try again/);
    expect(row.finishedAt).not.toBeNull();

    const again = await requestExportSync({ tenantId: tenant.id, profileId });
    expect(again.runId).not.toBe(refused.runId);
    await executor.waitFor(() => runsOf("scim-export-sync").find((r) => r.event.data.runId === again.runId && finished(r)));
    expect((await db().exportRun.findUniqueOrThrow({ where: { id: again.runId } })).status).toBe("SUCCEEDED");
  });

  it("/api/inngest refuses calls that are not signed with the signing key", async () => {
    const body = JSON.stringify({
      event: { name: "scim-export/sync.requested", data: {} },
      events: [],
      steps: {},
      ctx: { run_id: "x", attempt: 0, stack: { stack: [], current: 0 } },
    });
    const url = `${app.origin}/api/inngest?fnId=${APP}-scim-export-sync&stepId=step`;
    const unsigned = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(unsigned.status).toBe(401);
    const forged = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-inngest-signature": `t=${Math.round(Date.now() / 1000)}&s=${"0".repeat(64)}` },
      body,
    });
    expect(forged.status).toBe(401);
    const unsignedSync = await fetch(`${app.origin}/api/inngest`, { method: "PUT" });
    expect(unsignedSync.status).toBe(401);
  });
});
