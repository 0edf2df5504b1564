import { applyMigrations } from "./schema-engine";
import { currentSchema, loadMigrationList } from "./migrations";

/** Applies every pending migration in prisma/migrations; returns the names applied. */
export async function migrateDatabase(databaseUrl: string): Promise<string[]> {
  return applyMigrations(databaseUrl, await currentSchema(), await loadMigrationList());
}
