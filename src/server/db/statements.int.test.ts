import pg from "pg";
import { describe, expect, it, vi } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import { sqlRows } from "./sql";
import { createStatementClient } from "./statements";

const { sql } = Prisma;
const client = () => createStatementClient(process.env.DATABASE_URL!, { idleConnectionMs: 60_000 });
const statement = (name: string | undefined, text: string, values: unknown[] = []): pg.QueryConfig => ({ name, text, values });
const connectedClient = async () => {
  const connection = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await connection.connect();
  return connection;
};
const backendOf = async (statements: ReturnType<typeof client>) =>
  (await statements.query(statement(undefined, "SELECT pg_backend_pid() AS pid"))).rows[0] as { pid: number };

describe("the statement client", () => {
  it("reads and writes values exactly as pg's pool does (rows as $queryRaw returns them)", async () => {
    const micros = "2026-12-06T12:34:56.123456";
    const query = sql`SELECT ${micros}::timestamp AS at, to_char(${micros}::timestamp, 'YYYY-MM-DD"T"HH24:MI:SS.US') AS "atText",
      ${"9007199254740993"}::int8 AS big, count(*) AS counted, ${'{"a":[1,"x"]}'}::jsonb AS document, ${'["plain"]'}::json AS list,
      ${"6f1c1c8e-0000-4000-8000-000000000000"}::uuid AS id, ${["6f1c1c8e-0000-4000-8000-000000000000"]}::uuid[] AS ids,
      ${true}::boolean AS yes, ${42} + 1 AS answer, 1.50::numeric AS amount, ARRAY['a', NULL, 'c'] AS texts, NULL::text AS nothing,
      ${new Date("2026-01-02T03:04:05.678Z")}::timestamp AS "fromDate"`;
    const [viaStatements] = await sqlRows<Record<string, unknown>>(query, { kind: "point" });
    const [viaPool] = await sqlRows<Record<string, unknown>>(query, { kind: "scan" });
    expect(viaStatements).toEqual(viaPool);
    expect(viaStatements).toEqual({
      at: new Date("2026-12-06T12:34:56.123Z"),
      atText: micros, // a timestamp string goes to the server as written, microseconds included
      big: 9007199254740993n,
      counted: 1n,
      document: { a: [1, "x"] }, // JSON text is stored as the JSON it is, not as a JSON string
      list: ["plain"],
      id: "6f1c1c8e-0000-4000-8000-000000000000",
      ids: ["6f1c1c8e-0000-4000-8000-000000000000"],
      yes: true,
      answer: 43,
      amount: "1.50",
      texts: ["a", null, "c"],
      nothing: null,
      fromDate: new Date("2026-01-02T03:04:05.678Z"),
    });
  });

  it("answers each of many concurrent statements with its own rows, prepared or not", async () => {
    const statements = client();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        statements.query(statement(i % 2 ? "echo" : undefined, "SELECT $1::int AS n, repeat('x', $1::int) AS text", [i])),
      ),
    );
    results.forEach((result, i) => expect(result.rows).toEqual([{ n: i, text: "x".repeat(i) }]));
    await statements.end();
  });

  it("fails only the statement in error; the ones around it succeed", async () => {
    const statements = client();
    const settled = await Promise.allSettled([
      statements.query(statement("div", "SELECT 1 / $1::int AS q", [1])),
      statements.query(statement("div", "SELECT 1 / $1::int AS q", [0])),
      statements.query(statement(undefined, "SELECT * FROM no_such_table")),
      statements.query(statement("div", "SELECT 1 / $1::int AS q", [1])),
    ]);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ code: "22012" }); // division_by_zero, as pg reports it
    await statements.end();
  });

  it("does not keep a quick statement waiting behind a slow one", async () => {
    const statements = client();
    await Promise.all([backendOf(statements), backendOf(statements)]); // both connections open
    // The slow statement waits for a lock another session holds until the quick one has answered: were the
    // quick one queued behind it, it would never answer (the test times out) — no clock involved.
    const holder = await connectedClient();
    await holder.query("SELECT pg_advisory_lock(4242)");
    const slow = statements.query(statement(undefined, "SELECT pg_advisory_xact_lock(4242)"));
    await backendOf(statements);
    await holder.query("SELECT pg_advisory_unlock(4242)");
    await slow;
    await holder.end();
    await statements.end();
  });

  it("replaces a connection the server closed: statements in flight fail, the next ones run on a new connection", async () => {
    const statements = client();
    const { pid: victim } = await backendOf(statements);
    const inFlight = statements.query(statement(undefined, "SELECT pg_sleep(5)")).then(
      () => "answered",
      (error: Error) => error,
    );
    const admin = await connectedClient();
    const running = async () =>
      (await admin.query("SELECT 1 FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(5)' AND state = 'active'")).rowCount === 1;
    await vi.waitUntil(running, { timeout: 10_000, interval: 20 });
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(5)'");
    await admin.end();
    expect(await inFlight).toBeInstanceOf(Error);
    const { pid: replacement } = await backendOf(statements);
    expect(replacement).not.toBe(victim);
    await statements.end();
  });
});
