/**
 * The standard `prisma/migrations/<timestamp>_<name>/migration.sql` folders, so that
 * `prisma migrate deploy` stays usable wherever the native engine exists. Each folder also
 * keeps `schema.prisma` as it was when the migration was written: the next migration is the
 * diff from that snapshot, and a schema change without a migration shows as a non-empty diff.
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { MigrationList } from "@prisma/schema-engine-wasm";

/** npm scripts, the server and the tests all run from the project root. */
export const projectRoot = process.cwd();
const schemaPath = path.join(projectRoot, "prisma/schema.prisma");
export const migrationsDir = path.join(projectRoot, "prisma/migrations");
export const SNAPSHOT_FILE = "schema.prisma";

export async function migrationFolderNames(): Promise<string[]> {
  if (!existsSync(migrationsDir)) return [];
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

export async function loadMigrationList(): Promise<MigrationList> {
  const names = await migrationFolderNames();
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? await readFile(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: { tag: "ok" as const, value: await readFile(path.join(migrationsDir, name, "migration.sql"), "utf8") },
        },
      })),
    ),
  };
}

/** The schema as the newest migration left it, or null before the first migration. */
export async function lastMigratedSchema(): Promise<string | null> {
  const names = await migrationFolderNames();
  const newest = names.at(-1);
  if (!newest) return null;
  return readFile(path.join(migrationsDir, newest, SNAPSHOT_FILE), "utf8");
}

export async function currentSchema(): Promise<string> {
  return readFile(schemaPath, "utf8");
}
