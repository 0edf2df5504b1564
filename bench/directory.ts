/**
 * `npm run bench:directory`: seeds one tenant with 100,000 users and 2,000 groups in a throw-away
 * embedded PostgreSQL, then times the directory's real list, search and member functions.
 * Target: p95 < 100 ms for each operation.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { deriveUserColumns } from "../src/server/directory/user-fields";
import { startBenchDatabase } from "./bench-database";

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const GROUPS = Number(process.env.BENCH_GROUPS ?? 2_000);
const BIG_GROUP = 5_000;
const OTHER_TENANT_USERS = 20_000;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 60);
const WARMUP = 5;
const PAGE = 50;

const FIRST = [
  "James",
  "Mary",
  "John",
  "Patricia",
  "Robert",
  "Jennifer",
  "Michael",
  "Linda",
  "William",
  "Elizabeth",
  "David",
  "Barbara",
  "Richard",
  "Susan",
  "Joseph",
  "Jessica",
  "Thomas",
  "Sarah",
  "Charles",
  "Karen",
  "Maria",
  "Ahmed",
  "Wei",
  "Yuki",
  "Olga",
  "Lars",
  "Priya",
  "Carlos",
  "Fatima",
  "Noah",
  "Emma",
  "Liam",
  "Olivia",
  "Mateo",
  "Sofia",
  "Hiroshi",
  "Ana",
  "Ivan",
  "Zoe",
  "Omar",
];
const LAST = [
  "Smith",
  "Johnson",
  "Williams",
  "Brown",
  "Jones",
  "Garcia",
  "Miller",
  "Davis",
  "Rodriguez",
  "Martinez",
  "Hernandez",
  "Lopez",
  "Gonzalez",
  "Wilson",
  "Anderson",
  "Thomas",
  "Taylor",
  "Moore",
  "Jackson",
  "Martin",
  "Lee",
  "Perez",
  "Thompson",
  "White",
  "Harris",
  "Sanchez",
  "Clark",
  "Ramirez",
  "Lewis",
  "Robinson",
  "Walker",
  "Young",
  "Allen",
  "King",
  "Wright",
  "Scott",
  "Torres",
  "Nguyen",
  "Hill",
  "Flores",
  "Kowalski",
  "Tanaka",
  "Müller",
  "Schmidt",
  "Rossi",
  "Dubois",
  "Larsen",
  "Novak",
  "Singh",
  "Kim",
];
const DEPARTMENTS = ["Engineering", "Sales", "Marketing", "Finance", "Legal", "Support", "Operations", "HR", "Data", "Security"];
const TITLES = ["Engineer", "Senior Engineer", "Manager", "Director", "Analyst", "Specialist", "Associate", "Lead"];

function pick<T>(list: readonly T[], i: number): T {
  return list[i % list.length]!;
}

/** A small deterministic PRNG so every run seeds the same directory. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function seedUsers(client: pg.Client, tenantId: string, count: number, domain: string): Promise<string[]> {
  const ids: string[] = [];
  const batch = 10_000;
  const start = Date.now() - count * 1000;
  for (let from = 0; from < count; from += batch) {
    const cols = {
      id: [] as string[],
      userName: [] as string[],
      userNameKey: [] as string[],
      displayName: [] as string[],
      givenName: [] as string[],
      familyName: [] as string[],
      email: [] as string[],
      emails: [] as string[],
      searchText: [] as string[],
      active: [] as boolean[],
      title: [] as string[],
      department: [] as string[],
      source: [] as string[],
      createdAt: [] as string[],
    };
    for (let i = from; i < Math.min(from + batch, count); i += 1) {
      const given = pick(FIRST, i * 7);
      const family = pick(LAST, Math.floor(i / FIRST.length) * 3 + i);
      const userName = `${given.toLowerCase()}.${family.toLowerCase()}.${i}@${domain}`;
      const emails = [{ value: userName, type: "work", primary: true }];
      const displayName = `${given} ${family}`;
      const derived = deriveUserColumns({ userName, displayName, givenName: given, familyName: family, emails });
      const id = randomUUID();
      ids.push(id);
      cols.id.push(id);
      cols.userName.push(userName);
      cols.userNameKey.push(derived.userNameKey);
      cols.displayName.push(displayName);
      cols.givenName.push(given);
      cols.familyName.push(family);
      cols.email.push(derived.email!);
      cols.emails.push(JSON.stringify(emails));
      cols.searchText.push(derived.searchText);
      cols.active.push(i % 20 !== 0);
      cols.title.push(pick(TITLES, i * 3));
      cols.department.push(pick(DEPARTMENTS, i * 11));
      cols.source.push(i % 4 === 0 ? "CONSOLE" : "SCIM");
      cols.createdAt.push(new Date(start + i * 1000).toISOString());
    }
    await client.query(
      `INSERT INTO "DirectoryUser" (id, "tenantId", "userName", "userNameKey", "displayName", "givenName", "familyName", email, emails, "searchText", active, title, department, source, "createdAt", "updatedAt")
       SELECT u.id, $1::uuid, u."userName", u."userNameKey", u."displayName", u."givenName", u."familyName", u.email, u.emails::jsonb, u."searchText", u.active, u.title, u.department, u.source::"DirectorySource", u."createdAt", u."createdAt"
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::boolean[], $12::text[], $13::text[], $14::text[], $15::timestamp[])
         AS u(id, "userName", "userNameKey", "displayName", "givenName", "familyName", email, emails, "searchText", active, title, department, source, "createdAt")`,
      [
        tenantId,
        cols.id,
        cols.userName,
        cols.userNameKey,
        cols.displayName,
        cols.givenName,
        cols.familyName,
        cols.email,
        cols.emails,
        cols.searchText,
        cols.active,
        cols.title,
        cols.department,
        cols.source,
        cols.createdAt,
      ],
    );
  }
  return ids;
}

async function seedGroups(
  client: pg.Client,
  tenantId: string,
  userIds: string[],
): Promise<{ groupIds: string[]; bigGroupId: string; smallGroupId: string }> {
  const groupIds = Array.from({ length: GROUPS }, () => randomUUID());
  const names = groupIds.map((_, i) =>
    i === 0
      ? "All Engineering"
      : `${pick(DEPARTMENTS, i)} ${pick(["Team", "Project", "Guild", "Squad", "Region"], i * 7)} ${String(i).padStart(4, "0")}`,
  );
  await client.query(
    `INSERT INTO "DirectoryGroup" (id, "tenantId", "displayName", "displayNameKey", source, "updatedAt")
     SELECT g.id, $1::uuid, g.name, lower(g.name), 'SCIM', now() FROM unnest($2::uuid[], $3::text[]) AS g(id, name)`,
    [tenantId, groupIds, names],
  );
  // Realistic memberships: one 5,000-member group, and every user in one to four of the others.
  const random = rng(42);
  const pairs: [string, string][] = [];
  // A random sample: members spread over the userName order the way real ones are.
  const sample = new Set<number>();
  while (sample.size < BIG_GROUP) sample.add(Math.floor(random() * userIds.length));
  for (const i of sample) pairs.push([groupIds[0]!, userIds[i]!]);
  for (const userId of userIds) {
    const memberships = 1 + Math.floor(random() * 4);
    const chosen = new Set<number>();
    // Skewed: low-numbered groups are bigger, as department groups are.
    while (chosen.size < memberships) chosen.add(1 + Math.floor(random() ** 2 * (GROUPS - 1)));
    for (const g of chosen) pairs.push([groupIds[g]!, userId]);
  }
  for (let from = 0; from < pairs.length; from += 50_000) {
    const slice = pairs.slice(from, from + 50_000);
    await client.query(
      `INSERT INTO "GroupMember" ("groupId", "userId") SELECT * FROM unnest($1::uuid[], $2::uuid[]) ON CONFLICT DO NOTHING`,
      [slice.map((p) => p[0]), slice.map((p) => p[1])],
    );
  }
  const { rows } = await client.query<{ groupId: string }>(
    `SELECT "groupId" FROM "GroupMember" WHERE "groupId" = ANY($1::uuid[]) GROUP BY "groupId" HAVING count(*) BETWEEN 40 AND 60 LIMIT 1`,
    [groupIds],
  );
  return { groupIds, bigGroupId: groupIds[0]!, smallGroupId: rows[0]?.groupId ?? groupIds[GROUPS - 1]! };
}

type Row = { operation: string; p50: number; p95: number; max: number };

async function time(operation: string, run: (i: number) => Promise<unknown>): Promise<Row> {
  for (let i = 0; i < WARMUP; i += 1) await run(i);
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i += 1) {
    const started = performance.now();
    await run(i);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)]!;
  return { operation, p50: at(0.5), p95: at(0.95), max: samples.at(-1)! };
}

function printTable(rows: Row[]) {
  const width = Math.max(...rows.map((r) => r.operation.length));
  const fmt = (n: number) => n.toFixed(1).padStart(8);
  console.log(`\n${"operation".padEnd(width)}  ${"p50 ms".padStart(8)}  ${"p95 ms".padStart(8)}  ${"max ms".padStart(8)}  target`);
  console.log(`${"-".repeat(width)}  ${"-".repeat(8)}  ${"-".repeat(8)}  ${"-".repeat(8)}  ------`);
  for (const r of rows)
    console.log(`${r.operation.padEnd(width)}  ${fmt(r.p50)}  ${fmt(r.p95)}  ${fmt(r.max)}  ${r.p95 < 100 ? "ok" : "SLOW"}`);
}

async function main() {
  const t0 = Date.now();
  const database = await startBenchDatabase();
  process.once("SIGINT", () => void database.stop().then(() => process.exit(130)));
  try {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const tenantId = randomUUID();
    const otherTenantId = randomUUID();
    await client.query(`INSERT INTO "Tenant" (id, slug, name) VALUES ($1, 'bench', 'Bench'), ($2, 'neighbour', 'Neighbour')`, [
      tenantId,
      otherTenantId,
    ]);
    console.log(
      `Seeding ${USERS.toLocaleString("en")} users and ${GROUPS.toLocaleString("en")} groups (plus ${OTHER_TENANT_USERS.toLocaleString("en")} users of another tenant)…`,
    );
    const userIds = await seedUsers(client, tenantId, USERS, "corp.example");
    await seedUsers(client, otherTenantId, OTHER_TENANT_USERS, "other.example");
    const { bigGroupId, smallGroupId } = await seedGroups(client, tenantId, userIds);
    await client.query("VACUUM ANALYZE");
    const { rows: counts } = await client.query<{ members: number }>(`SELECT count(*)::int AS members FROM "GroupMember"`);
    console.log(`Seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${counts[0]!.members.toLocaleString("en")} group memberships.`);

    if (process.env.BENCH_KEEP) {
      // For looking at plans by hand: the seeded database stays up until Ctrl-C.
      console.log(`BENCH_KEEP: ${database.url} tenant ${tenantId} big group ${bigGroupId}`);
      await new Promise(() => {});
    }
    const { listUsers } = await import("../src/server/directory/list-users");
    const { listGroups } = await import("../src/server/directory/list-groups");
    const { listGroupMembers } = await import("../src/server/directory/list-group-members");
    const { addGroupMembers, removeGroupMembers } = await import("../src/server/directory/group-members");

    const prefixes = ["mar", "john", "olga.k", "wei", "priya.s", "carlos", "liam.n", "emma.t"];
    const substrings = ["son", "ez.1", "ller", "anaka", "12345", "hmed", "rossi", "ssi.9"];
    const deepOffset = USERS - PAGE;
    const rows: Row[] = [];
    rows.push(await time("users: first page (by userName)", () => listUsers({ tenantId, limit: PAGE })));
    rows.push(
      await time(`users: deep page (offset ${deepOffset.toLocaleString("en")})`, () =>
        listUsers({ tenantId, offset: deepOffset, limit: PAGE }),
      ),
    );
    rows.push(
      await time("users: middle page by createdAt desc", () =>
        listUsers({ tenantId, offset: USERS / 2, limit: PAGE, sort: { field: "createdAt", direction: "desc" } }),
      ),
    );
    rows.push(await time("users: search by prefix", (i) => listUsers({ tenantId, search: pick(prefixes, i), limit: PAGE })));
    rows.push(await time("users: search by substring", (i) => listUsers({ tenantId, search: pick(substrings, i), limit: PAGE })));
    rows.push(await time("users: search, 1 character", (i) => listUsers({ tenantId, search: pick(["a", "e", "k", "z"], i), limit: PAGE })));
    rows.push(await time("users: sort by email", () => listUsers({ tenantId, limit: PAGE, sort: { field: "email", direction: "asc" } })));
    rows.push(
      await time("users: sort by display name, page 100", () =>
        listUsers({ tenantId, offset: 99 * PAGE, limit: PAGE, sort: { field: "displayName", direction: "asc" } }),
      ),
    );
    rows.push(await time("users: inactive only", () => listUsers({ tenantId, active: false, limit: PAGE })));
    rows.push(await time("users: sort by status", () => listUsers({ tenantId, limit: PAGE, sort: { field: "active", direction: "asc" } })));
    rows.push(await time("groups: first page with member counts", () => listGroups({ tenantId, limit: PAGE })));
    rows.push(
      await time("groups: search", (i) => listGroups({ tenantId, search: pick(["eng", "squad 01", "region", "00"], i), limit: PAGE })),
    );
    rows.push(
      await time(`group members: first page (${BIG_GROUP.toLocaleString("en")} members)`, () =>
        listGroupMembers({ tenantId, groupId: bigGroupId, limit: PAGE }),
      ),
    );
    rows.push(
      await time(`group members: last page (${BIG_GROUP.toLocaleString("en")} members)`, () =>
        listGroupMembers({ tenantId, groupId: bigGroupId, offset: BIG_GROUP - PAGE, limit: PAGE }),
      ),
    );
    rows.push(
      await time("group members: search in big group", (i) =>
        listGroupMembers({ tenantId, groupId: bigGroupId, search: pick(substrings, i), limit: PAGE }),
      ),
    );
    const newcomers = userIds.slice(USERS - 100);
    rows.push(
      await time(`add+remove 100 members, ${BIG_GROUP.toLocaleString("en")}-member group`, async () => {
        await addGroupMembers({ tenantId, groupId: bigGroupId, source: "CONSOLE", userIds: newcomers });
        await removeGroupMembers({ tenantId, groupId: bigGroupId, source: "CONSOLE", userIds: newcomers });
      }),
    );
    rows.push(
      await time("add+remove 100 members, ~50-member group", async () => {
        await addGroupMembers({ tenantId, groupId: smallGroupId, source: "CONSOLE", userIds: newcomers });
        await removeGroupMembers({ tenantId, groupId: smallGroupId, source: "CONSOLE", userIds: newcomers });
      }),
    );
    printTable(rows);

    const plan = await client.query(
      // The search's first query: the capped count that also picks the page's plan (list-users.ts).
      `EXPLAIN SELECT count(*) FROM (SELECT 1 FROM "DirectoryUser" u WHERE u."tenantId" = $1::uuid AND u."searchText" LIKE $2 ESCAPE '\\' LIMIT 10001) AS matched`,
      [tenantId, "%anaka%"],
    );
    const usesTrigram = plan.rows.some((r: Record<string, string>) => Object.values(r)[0]!.includes("searchText_trgm_idx"));
    console.log(`\nSubstring search plan uses the trigram index: ${usesTrigram ? "yes" : "no"}`);
    console.log(`Total run: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await client.end();
    const slow = rows.filter((r) => r.p95 >= 100);
    if (slow.length > 0) process.exitCode = 1;
  } finally {
    await database.stop();
  }
}

await main();
// Prisma's pool and the WebAssembly schema engine leave timers behind; nothing else is pending.
process.exit(process.exitCode ?? 0);
