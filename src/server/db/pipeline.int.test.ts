import pg from "pg";
import { describe, expect, it } from "vitest";
import { StatementPipeline } from "./pipeline";

const connectionString = () => process.env.DATABASE_URL!;
const statement = (name: string | undefined, text: string, values: unknown[] = []): pg.QueryConfig => ({ name, text, values });
const backendOf = async (pipeline: StatementPipeline) => (await pipeline.query(statement(undefined, "SELECT pg_backend_pid() AS pid"))).rows[0].pid as number;

describe("StatementPipeline", () => {
  it("answers each of many concurrent statements with its own rows, prepared or not", async () => {
    const pipeline = new StatementPipeline({ connectionString: connectionString() }, 2);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => pipeline.query(statement(i % 2 ? "pipeline_echo" : undefined, "SELECT $1::int AS n, repeat('x', $1::int) AS text", [i]))),
    );
    results.forEach((result, i) => expect(result.rows).toEqual([{ n: i, text: "x".repeat(i) }]));
  });

  it("fails only the statement in error; the ones around it on the same connection succeed", async () => {
    const pipeline = new StatementPipeline({ connectionString: connectionString() }, 1);
    const settled = await Promise.allSettled([
      pipeline.query(statement("pipeline_div", "SELECT 1 / $1::int AS q", [1])),
      pipeline.query(statement("pipeline_div", "SELECT 1 / $1::int AS q", [0])),
      pipeline.query(statement(undefined, "SELECT * FROM no_such_table")),
      pipeline.query(statement("pipeline_div", "SELECT 1 / $1::int AS q", [1])),
    ]);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
    expect((settled[1] as PromiseRejectedResult).reason.message).toMatch(/division by zero/);
  });

  it("shares one connection while statements come one at a time, and opens another only under load", async () => {
    const pipeline = new StatementPipeline({ connectionString: connectionString() }, 2);
    const first = await backendOf(pipeline);
    expect(await backendOf(pipeline)).toBe(first);
    // A slow statement in flight: the next one goes to the other connection and is not kept waiting.
    const slow = pipeline.query(statement(undefined, "SELECT pg_sleep(0.5), pg_backend_pid() AS pid"));
    const started = performance.now();
    const other = await backendOf(pipeline);
    expect(performance.now() - started).toBeLessThan(400);
    expect(other).not.toBe(first);
    expect((await slow).rows[0].pid).toBe(first);
  });

  it("replaces a connection the server closed: statements in flight fail, the next ones run on a new connection", async () => {
    const pipeline = new StatementPipeline({ connectionString: connectionString() }, 1);
    const victim = await backendOf(pipeline);
    const admin = new pg.Client({ connectionString: connectionString() });
    await admin.connect();
    const inFlight = pipeline.query(statement(undefined, "SELECT pg_sleep(5)")).then(() => "answered", (error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await admin.query("SELECT pg_terminate_backend($1)", [victim]);
    await admin.end();
    expect(await inFlight).toMatchObject({ code: "57P01" }); // admin_shutdown
    const replacement = await backendOf(pipeline);
    expect(replacement).not.toBe(victim);
  });
});
