/** `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded default. */
import { migrateDatabase } from "../src/server/db/migrate";
import { acquireDatabase } from "../src/server/runtime/database";

const db = await acquireDatabase();
try {
  const applied = await migrateDatabase(db.url);
  console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "The database is up to date.");
} finally {
  await db.release();
}
// The WebAssembly engine leaves timers behind; nothing else is pending.
process.exit(0);
