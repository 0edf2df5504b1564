import pg from "pg";
import { expect, it, vi } from "vitest";
import { pool } from "./db/connections";

it("a pooled idle connection the server closes is replaced, and the process carries on", async () => {
  const { rows } = await pool().query("SELECT pg_backend_pid() AS pid");
  const open = pool().totalCount;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query("SELECT pg_terminate_backend($1)", [rows[0].pid]);
  await admin.end();
  // pg's pool drops a connection once it reports the server closed it.
  await vi.waitUntil(() => pool().totalCount < open, { timeout: 10_000, interval: 10 });
  const after = await pool().query("SELECT pg_backend_pid() AS pid");
  expect(after.rows[0].pid).not.toBe(rows[0].pid);
});
