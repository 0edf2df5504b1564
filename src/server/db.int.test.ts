import pg from "pg";
import { expect, it } from "vitest";
import { pool } from "./db/connections";

it("a pooled idle connection the server closes is replaced, and the process carries on", async () => {
  const { rows } = await pool().query("SELECT pg_backend_pid() AS pid");
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query("SELECT pg_terminate_backend($1)", [rows[0].pid]);
  await admin.end();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const after = await pool().query("SELECT pg_backend_pid() AS pid");
  expect(after.rows[0].pid).not.toBe(rows[0].pid);
});
