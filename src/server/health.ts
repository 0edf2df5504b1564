import { Prisma } from "@/generated/prisma/client";
import { sqlRows } from "./db/sql";
import { migrationFolderNames } from "./db/migrations";

export type Health = { ok: boolean; database: "reachable" | "unreachable"; migrations: { applied: number; expected: number } };

// The migrations this server was started with (the start script applies them before serving);
// read once, so that a migration folder added later does not make a running server unhealthy.
let expectedMigrations: Promise<number> | undefined;

/** Ready means: the database answers and every migration in the build has been applied. */
export async function checkHealth(): Promise<Health> {
  expectedMigrations ??= migrationFolderNames().then((names) => names.length);
  const expected = await expectedMigrations;
  try {
    const rows = await sqlRows<{ n: bigint }>(
      Prisma.sql`SELECT count(*) AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      { kind: "point" },
    );
    const applied = Number(rows[0]?.n ?? 0);
    return { ok: applied >= expected, database: "reachable", migrations: { applied, expected } };
  } catch {
    return { ok: false, database: "unreachable", migrations: { applied: 0, expected } };
  }
}
