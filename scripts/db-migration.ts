/**
 * `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/ with the SQL
 * that takes the last migrated schema to prisma/schema.prisma, and a snapshot of that schema.
 * Review the SQL before committing; hand-written SQL (extensions, trigram indexes) goes at its end.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { diffDatamodels } from "../src/server/db/schema-engine";
import { acquireDatabase } from "../src/server/runtime/database";
import { currentSchema, lastMigratedSchema, migrationsDir, SNAPSHOT_FILE } from "../src/server/db/migrations";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:migration -- <name>   (lower-case letters, digits and _)");
  process.exit(2);
}

const schema = await currentSchema();
const db = await acquireDatabase();
const sql = await diffDatamodels(db.url, await lastMigratedSchema(), schema).finally(() => db.release());
if (!sql) {
  console.log("prisma/schema.prisma has no changes since the last migration: nothing to write.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const folder = path.join(migrationsDir, `${stamp}_${name}`);
await mkdir(folder, { recursive: true });
await writeFile(path.join(folder, "migration.sql"), sql);
await writeFile(path.join(folder, SNAPSHOT_FILE), schema);
await writeFile(path.join(migrationsDir, "migration_lock.toml"), 'provider = "postgresql"\n');
console.log(`Wrote ${path.relative(process.cwd(), folder)}/migration.sql`);
// The WebAssembly engine leaves timers behind; nothing else is pending.
process.exit(0);
