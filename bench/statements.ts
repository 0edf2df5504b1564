/**
 * `npm run bench:statements`: the Node CPU one SCIM lookup statement costs on each way the
 * product can run it: pg's pool (Prisma, transactions, counts) and the statement client
 * (src/server/db/statements.ts, Postgres.js), with 8 callers at once against 10,000 users in a
 * throw-away embedded PostgreSQL. The reason the hot paths' single statements use the latter.
 */
import os from "node:os";
import pg from "pg";
import { Prisma } from "../src/generated/prisma/client";
import { startBenchDatabase } from "./bench-database";

const USERS = 10_000;
const STATEMENTS = 20_000;
const CALLERS = 8;

const database = await startBenchDatabase();
try {
  const seed = new pg.Client({ connectionString: database.url });
  await seed.connect();
  const tenantId = (await seed.query(`INSERT INTO "Tenant" (id, slug, name) VALUES (gen_random_uuid(), 'bench', 'Bench') RETURNING id`))
    .rows[0].id as string;
  await seed.query(
    `INSERT INTO "DirectoryUser" (id, "tenantId", "userName", "userNameKey", "displayName", "givenName", "familyName", email, emails, "externalId", locale, source, "createdAt", "updatedAt")
     SELECT gen_random_uuid(), $1::uuid, 'user' || i || '@bench.example', 'user' || i || '@bench.example', 'Given' || i || ' Family' || i, 'Given' || i, 'Family' || i,
       'user' || i || '@bench.example', jsonb_build_array(jsonb_build_object('value', 'user' || i || '@bench.example', 'type', 'work', 'primary', true)), 'ext' || i, 'en-US', 'SCIM', now(), now()
     FROM generate_series(1, $2::int) i`,
    [tenantId, USERS],
  );
  await seed.query("ANALYZE");
  await seed.end();

  const { sqlRows } = await import("../src/server/db/sql");
  // The statement SCIM Import runs for `GET /Users?filter=userName eq "…"` (scim-import/users.ts).
  const lookup = (
    i: number,
  ) => Prisma.sql`SELECT u.*, (SELECT json_agg(json_build_object('id', g.id, 'displayName', g."displayName") ORDER BY g."displayNameKey")
      FROM "GroupMember" m JOIN "DirectoryGroup" g ON g.id = m."groupId" WHERE m."userId" = u.id) AS "scimGroups"
    FROM "DirectoryUser" u WHERE u."tenantId" = ${tenantId}::uuid AND u."userNameKey" = ${`user${(i % USERS) + 1}@bench.example`} ORDER BY u."createdAt", u.id LIMIT ${100}`;

  // A "scan" runs on pg's pool, a "point" statement on the statement client (src/server/db/sql.ts).
  const runners = { "pg pool": { kind: "scan" }, "statement client": { kind: "point" } } as const;
  console.log(
    `One lookup statement, ${CALLERS} callers, ${STATEMENTS.toLocaleString("en")} statements, node ${process.version}, ${os.cpus().length} CPUs`,
  );
  for (let round = 1; round <= 2; round++) {
    for (const [name, runner] of Object.entries(runners)) {
      for (let i = 0; i < 500; i++) await sqlRows(lookup(i), runner); // warm: connections open, statements prepared
      const before = process.cpuUsage();
      const started = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: CALLERS }, async () => {
          for (let i = next++; i < STATEMENTS; i = next++) {
            if ((await sqlRows(lookup(i), runner)).length !== 1) throw new Error("the lookup found no user");
          }
        }),
      );
      const cpu = process.cpuUsage(before);
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `round ${round}  ${name.padEnd(17)} ${(STATEMENTS / seconds).toFixed(0).padStart(6)} statements/s  ${((cpu.user + cpu.system) / STATEMENTS).toFixed(1).padStart(6)} µs Node CPU each`,
      );
    }
  }
} finally {
  await database.stop();
}
