import { db } from "./db";
import { migrationFolderNames } from "./db/migrations";

export type Health = { ok: boolean; database: "reachable" | "unreachable"; migrations: { applied: number; expected: number } };

/** Ready means: the database answers and every migration in the build has been applied. */
export async function checkHealth(): Promise<Health> {
  const expected = (await migrationFolderNames()).length;
  try {
    const rows = await db().$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    const applied = Number(rows[0]?.n ?? 0);
    return { ok: applied >= expected, database: "reachable", migrations: { applied, expected } };
  } catch {
    return { ok: false, database: "unreachable", migrations: { applied: 0, expected } };
  }
}
