import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import postgres from "/tmp/pgjs/node_modules/postgres/src/index.js";
import { migrateDatabase } from "../src/server/db/migrate";
import { StatementPipeline } from "../src/server/db/pipeline";
import { startEmbeddedPostgres, withDatabase } from "../src/server/runtime/embedded-postgres";

const parent = await mkdtemp(path.join(os.tmpdir(), "lc-micro-"));
await chmod(parent, 0o755);
const server = await startEmbeddedPostgres({ clusterDir: path.join(parent, "pg"), password: "x", ephemeral: true });
const admin = new pg.Client({ connectionString: server.url }); await admin.connect(); await admin.query("CREATE DATABASE m"); await admin.end();
const url = withDatabase(server.url, "m");
await migrateDatabase(url);
const c = new pg.Client({ connectionString: url }); await c.connect();
const tenant = (await c.query(`INSERT INTO "Tenant"(id, slug, name) VALUES (gen_random_uuid(), 't', 't') RETURNING id`)).rows[0].id;
await c.query(`INSERT INTO "DirectoryUser" (id, "tenantId", "userName", "userNameKey", "displayName", "givenName", "familyName", email, emails, "externalId", locale, source, "createdAt", "updatedAt")
  SELECT gen_random_uuid(), $1::uuid, 'user' || i || '@bench.example', 'user' || i || '@bench.example', 'Given' || i || ' Family' || i, 'Given' || i, 'Family' || i, 'user' || i || '@bench.example', jsonb_build_array(jsonb_build_object('value', 'user' || i || '@bench.example', 'type', 'work', 'primary', true)), 'ext' || i, 'en-US', 'SCIM', now(), now() FROM generate_series(1, 10000) i`, [tenant]);
await c.query("ANALYZE");
await c.end();
const TEXT = `SELECT u.*, (SELECT json_agg(json_build_object('id', g.id, 'displayName', g."displayName") ORDER BY g."displayNameKey") AS "scimGroups" FROM "GroupMember" m JOIN "DirectoryGroup" g ON g.id = m."groupId" WHERE m."userId" = u.id) AS "scimGroups" FROM "DirectoryUser" u WHERE u."tenantId" = $1::uuid AND u."userNameKey" = lower($2) ORDER BY u."createdAt", u.id LIMIT $3`;
const TIMESTAMP = 1114, INT8 = 20;
const types = { getTypeParser: (oid: number, format?: any) => oid === TIMESTAMP ? (t: string) => new Date(`${t.replace(" ", "T")}Z`) : oid === INT8 ? (t: string) => BigInt(t) : pg.types.getTypeParser(oid, format) } as pg.CustomTypesConfig;

async function measure(name: string, run: (i: number) => Promise<unknown[]>) {
  const N = 20000, C = 8;
  for (let i = 0; i < 500; i++) await run(i);
  const before = process.cpuUsage(); const t = performance.now(); let next = 0;
  await Promise.all(Array.from({ length: C }, async () => { for (;;) { const i = next++; if (i >= N) return; const rows = await run(i % 10000 + 1); if (rows.length !== 1) throw new Error("bad"); } }));
  const cpu = process.cpuUsage(before); const ms = performance.now() - t;
  console.log(`${name.padEnd(22)} ${(N / ms * 1000).toFixed(0).padStart(6)} q/s   node CPU ${((cpu.user + cpu.system) / N).toFixed(1)} µs/query (user ${(cpu.user / N).toFixed(1)})`);
}
const pipeline = new StatementPipeline({ connectionString: url }, 2);
const pool = new pg.Pool({ connectionString: url, max: 20 });
const sql = postgres(url, { max: 2, prepare: true, onnotice: () => {}, types: { bigint: postgres.BigInt } as any });
for (let round = 0; round < 2; round++) {
  await measure("pg pool", async (i) => (await pool.query({ name: "q", text: TEXT, values: [tenant, `user${i}@bench.example`, 100], types })).rows);
  await measure("pg pipeline (ours)", async (i) => (await pipeline.query({ name: "q", text: TEXT, values: [tenant, `user${i}@bench.example`, 100], types })).rows);
  await measure("postgres.js max 2", async (i) => await sql.unsafe(TEXT, [tenant, `user${i}@bench.example`, 100], { prepare: true }));
}
const [row] = await sql.unsafe(TEXT, [tenant, `user1@bench.example`, 100], { prepare: true });
console.log(Object.entries(row).slice(0, 40).map(([k, v]) => `${k}:${v === null ? "null" : typeof v === "object" ? v.constructor.name : typeof v}`).join(" "));
await sql.end(); await pool.end(); await pipeline.end(); await server.stop(); await rm(parent, { recursive: true, force: true });
