import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { withDatabase } from "../../server/runtime/embedded-postgres";

/**
 * Runs before each integration test file, in its worker: a fresh database cloned from the
 * migrated template, and the settings the server code reads. Modules read them on first use.
 */
const serverUrl = inject("postgresUrl");
const database = `test_${randomBytes(6).toString("hex")}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${database} TEMPLATE app_template`);
await admin.end();

process.env.DATABASE_URL = withDatabase(serverUrl, database);
process.env.AUTH_SECRET = "test-secret-test-secret-test-secret-0123";
process.env.ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");
process.env.APP_URL = "http://localhost:3000";
process.env.ALLOW_PRIVATE_TARGETS = "true";
