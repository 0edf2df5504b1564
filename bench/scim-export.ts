/**
 * `npm run bench:scim-export`: the SCIM Export engine against the Databricks emulator with 20 ms
 * latency per request, on a throw-away embedded PostgreSQL.
 *   1. initial sync of BENCH_USERS users (default 100,000) in BENCH_GROUPS groups (default 200);
 *   2. 1 % of the users changed: time, and writes (must equal the number of changed users);
 *   3. a sync with no change: writes (must be 0); then the same as a full reconcile (every fullSyncHours);
 *   4. a full reconcile after 1 % of the users drifted on the target (someone else changed a displayName,
 *      deactivated, deleted, or took a user out of its group): time, reads (pages of 100 users, and each
 *      group twice) and writes (the repairs only);
 *   5. the account-level path with Databricks-like rate limits (POST 5/s, PATCH 2/s): budget use and 429 share.
 * Printed numbers only; nothing is asserted here.
 */
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { startDatabricksEmulator } from "../src/testing/databricks-emulator";
import { startBenchDatabase } from "./bench-database";

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const GROUPS = Number(process.env.BENCH_GROUPS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 20);
const ACCOUNT_USERS = Number(process.env.BENCH_ACCOUNT_USERS ?? 60);

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  const database = await startBenchDatabase();
  Object.assign(process.env, {
    AUTH_SECRET: randomBytes(32).toString("hex"),
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    APP_URL: "http://localhost:3000",
    ALLOW_PRIVATE_TARGETS: "true",
  });

  const { db } = await import("../src/server/db");
  const { createExportProfile, updateExportConfiguration, setExportAssignedGroups } = await import("../src/server/scim-export");
  const { runExportSync, inlineSteps } = await import("../src/server/scim-export/engine/sync");
  type StepRunner = import("../src/server/scim-export/engine/sync").StepRunner;
  // Shorter backoff than production's: the emulator's throttling answers are retried without long waits.
  const retries = { backoffBaseMs: 200, backoffCapMs: 5000 };

  const tenant = await db().tenant.create({ data: { slug: "bench", name: "Bench" }, select: { id: true } });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();

  async function seed(users: number, groups: number, prefix: string) {
    const groupIds = Array.from({ length: groups }, () => randomUUID());
    await client.query(
      `INSERT INTO "DirectoryGroup" (id, "tenantId", "displayName", "displayNameKey", source, "updatedAt")
       SELECT g, $1::uuid, $2 || ' group ' || i, lower($2 || ' group ' || i), 'CONSOLE', now() FROM unnest($3::uuid[]) WITH ORDINALITY AS t(g, i)`,
      [tenant.id, prefix, groupIds],
    );
    for (let from = 0; from < users; from += 20_000) {
      const n = Math.min(20_000, users - from);
      const ids = Array.from({ length: n }, () => randomUUID());
      await client.query(
        `INSERT INTO "DirectoryUser" (id, "tenantId", "userName", "userNameKey", email, emails, "givenName", "familyName", "displayName", source, "updatedAt")
         SELECT u, $1::uuid, $2 || '.' || (i + $3) || '@example.com', lower($2 || '.' || (i + $3) || '@example.com'), lower($2 || '.' || (i + $3) || '@example.com'),
                jsonb_build_array(jsonb_build_object('value', lower($2 || '.' || (i + $3) || '@example.com'), 'primary', true)),
                'Given' || (i + $3), 'Family' || (i + $3), 'Given' || (i + $3) || ' Family' || (i + $3), 'CONSOLE', now()
         FROM unnest($4::uuid[]) WITH ORDINALITY AS t(u, i)`,
        [tenant.id, prefix, from, ids],
      );
      await client.query(
        `INSERT INTO "GroupMember" ("groupId", "userId") SELECT ($2::uuid[])[1 + (i % $3)], u FROM unnest($1::uuid[]) WITH ORDINALITY AS t(u, i)`,
        [ids, groupIds, groups],
      );
    }
    return groupIds;
  }

  async function profile(name: string, baseUrl: string, token: string, groupIds: string[], requestsPerSecond: number | null) {
    const { id } = await createExportProfile({ tenantId: tenant.id, input: { name, description: "", type: "DATABRICKS" } });
    await updateExportConfiguration({
      tenantId: tenant.id,
      profileId: id,
      input: {
        baseUrl,
        token,
        scheduleMinutes: null,
        leaveAction: "DEACTIVATE",
        deletionThreshold: 1000,
        enabled: true,
        matchOrder: ["userName", "externalId"],
        requestsPerSecond,
        concurrency: CONCURRENCY,
      },
    });
    await setExportAssignedGroups({ tenantId: tenant.id, profileId: id, groupIds });
    return id;
  }

  async function sync(profileId: string) {
    const run = await db().exportRun.create({ data: { tenantId: tenant.id, profileId, trigger: "MANUAL" }, select: { id: true } });
    const stages: Record<string, number> = {};
    // The stages as the runners run them, timed: where a run spends its time.
    const timed: StepRunner = {
      run: async (stepId, fn) => {
        const at = performance.now();
        const result = await inlineSteps.run(stepId, fn);
        const key = stepId.replace(/-\d+$/, "-*");
        stages[key] = (stages[key] ?? 0) + performance.now() - at;
        return result;
      },
    };
    const started = performance.now();
    await runExportSync({ tenantId: tenant.id, profileId, runId: run.id }, timed, { retries });
    const ms = performance.now() - started;
    const row = await db().exportRun.findUniqueOrThrow({ where: { id: run.id } });
    const slowest = Object.entries(stages)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([k, v]) => `${k} ${seconds(v)}`)
      .join(", ");
    return {
      ms,
      slowest,
      status: row.status,
      mode: row.mode,
      counts: row.counts as Record<string, number>,
      stats: row.stats as Record<string, number>,
    };
  }

  console.log(`Seeding ${USERS.toLocaleString("en")} users in ${GROUPS} groups…`);
  let t = performance.now();
  const groupIds = await seed(USERS, GROUPS, "user");
  console.log(`  seeded in ${seconds(performance.now() - t)}`);

  const emulator = await startDatabricksEmulator({ latencyMs: LATENCY, logRequests: false, maxWorkspaceUsers: Number.POSITIVE_INFINITY });
  const id = await profile("Workspace", emulator.workspaceUrl, emulator.token, groupIds, null);

  console.log(`\n1. Initial sync (workspace path, ${LATENCY} ms latency per request, concurrency ${CONCURRENCY})`);
  const reads = () => emulator.counters.byMethod.GET ?? 0;
  let r = await sync(id);
  console.log(
    `  ${r.status} (${r.mode}) in ${seconds(r.ms)} — ${(USERS / (r.ms / 60000)).toFixed(0)} users/min; writes ${emulator.counters.writes}, reads ${reads()}`,
  );
  console.log(`  counts ${JSON.stringify(r.counts)}`);
  console.log(
    `  on target: ${emulator.users().length} users, ${emulator.groups().length} groups, ${emulator.groups().reduce((n, g) => n + g.members.length, 0)} memberships`,
  );

  const changed = Math.max(1, Math.round(USERS / 100));
  // As the directory's writers do: the row and its DirectoryChange in one statement.
  await client.query(
    `WITH changed AS (
       UPDATE "DirectoryUser" SET "givenName" = "givenName" || 'x', version = version + 1, "updatedAt" = now()
       WHERE id IN (SELECT id FROM "DirectoryUser" WHERE "tenantId" = $1 ORDER BY random() LIMIT $2) RETURNING id, "tenantId")
     INSERT INTO "DirectoryChange" ("tenantId", entity, "entityId", action, source) SELECT "tenantId", 'USER', id, 'UPDATED', 'CONSOLE' FROM changed`,
    [tenant.id, changed],
  );
  emulator.resetCounters();
  console.log(`\n2. ${changed} users (1 %) changed`);
  r = await sync(id);
  console.log(
    `  ${r.status} (${r.mode}) in ${seconds(r.ms)}; writes ${emulator.counters.writes} (changed objects: ${changed}); reads ${reads()}; users mapped ${r.stats.usersMapped ?? 0}`,
  );

  emulator.resetCounters();
  console.log(`\n3. No change`);
  r = await sync(id);
  console.log(
    `  ${r.status} (${r.mode}) in ${seconds(r.ms)}; writes ${emulator.counters.writes}; reads ${reads()} (the probe GET); users mapped ${r.stats.usersMapped ?? 0}`,
  );

  emulator.resetCounters();
  console.log(`\n3b. Full reconcile (requested; what the scheduled run does every fullSyncHours), no change`);
  await db().exportProfile.update({ where: { id }, data: { lastFullSyncAt: null } });
  r = await sync(id);
  console.log(
    `  ${r.status} (${r.mode}) in ${seconds(r.ms)}; writes ${emulator.counters.writes}; reads ${reads()} (${Math.ceil(USERS / 100)} pages of users + each group twice + the probe); users mapped ${r.stats.usersMapped ?? 0}`,
  );
  console.log(`  slowest stages: ${r.slowest}`);

  // Someone else, in the workspace, on 1 % of the users: a quarter each.
  const drifted = Math.max(4, Math.round(USERS / 100));
  const victims = emulator
    .users()
    .sort(() => Math.random() - 0.5)
    .slice(0, drifted);
  const quarter = Math.floor(drifted / 4);
  const groupsOf = new Map<string, string[]>();
  for (const g of emulator.groups()) for (const m of g.members) groupsOf.set(m, [...(groupsOf.get(m) ?? []), g.id]);
  victims.slice(0, quarter).forEach((u) => emulator.adminEditUser(u.id, { displayName: `${u.displayName} (edited)` }));
  victims.slice(quarter, 2 * quarter).forEach((u) => emulator.adminEditUser(u.id, { active: false }));
  victims.slice(2 * quarter, 3 * quarter).forEach((u) => emulator.adminDeleteUser(u.id));
  victims.slice(3 * quarter).forEach((u) => (groupsOf.get(u.id) ?? []).forEach((g) => emulator.adminEditGroup(g, { remove: [u.id] })));
  const touchedGroups = new Set(victims.slice(2 * quarter).flatMap((u) => groupsOf.get(u.id) ?? [])).size;
  emulator.resetCounters();
  console.log(
    `\n4. Full reconcile after drift on the target: ${drifted} users (1 %): ${quarter} renamed, ${quarter} deactivated, ${quarter} deleted, ${drifted - 3 * quarter} taken out of their group (${touchedGroups} groups)`,
  );
  await db().exportProfile.update({ where: { id }, data: { lastFullSyncAt: null } });
  r = await sync(id);
  console.log(
    `  ${r.status} (${r.mode}) in ${seconds(r.ms)}; reads ${reads()}; writes ${emulator.counters.writes} (${JSON.stringify(emulator.counters.byMethod)})`,
  );
  console.log(`  counts ${JSON.stringify(r.counts)}; slowest stages: ${r.slowest}`);
  const restored =
    emulator.users().length === USERS && emulator.users().every((u) => u.active && !String(u.displayName).endsWith("(edited)"));
  console.log(
    `  on target: ${emulator.users().length} users, all active and as mapped: ${restored}; ${emulator.groups().reduce((n, g) => n + g.members.length, 0)} memberships`,
  );
  emulator.resetCounters();
  r = await sync(id);
  console.log(`  the next run: ${r.status} (${r.mode}); writes ${emulator.counters.writes}`);
  await emulator.stop();

  console.log(`\n5. Account path, rate-limited like Databricks (POST 5/s, PATCH 2/s), ${ACCOUNT_USERS} users in 3 groups`);
  const limited = await startDatabricksEmulator({ latencyMs: LATENCY, rateLimits: { POST: 5, PATCH: 2, GET: 20 }, retryAfterShare: 0.2 });
  const accountGroups = await seed(ACCOUNT_USERS, 3, "acct");
  const accountId = await profile("Account", limited.accountUrl("2.0"), limited.token, accountGroups, null);
  t = performance.now();
  r = await sync(accountId);
  const posts = limited.requests.filter((q) => q.method === "POST" && q.status === 201).map((q) => q.at);
  const span = (Math.max(...posts) - Math.min(...posts)) / 1000;
  const postRate = (posts.length - 1) / span;
  console.log(
    `  ${r.status} in ${seconds(performance.now() - t)}; ${posts.length} users created at ${postRate.toFixed(2)} POST/s = ${((postRate / 5) * 100).toFixed(1)} % of the 5/s budget`,
  );
  const throttledBy = limited.requests
    .filter((q) => q.status === 429)
    .reduce<Record<string, number>>((m, q) => ({ ...m, [q.method]: (m[q.method] ?? 0) + 1 }), {});
  console.log(
    `  requests ${limited.counters.requests}, answered 429: ${limited.counters.throttled} (${((limited.counters.throttled / limited.counters.requests) * 100).toFixed(2)} %) ${JSON.stringify(throttledBy)}`,
  );
  await limited.stop();
  await client.end();
  await database.stop();
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
