import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Secrets the embedded default needs, generated once into the data folder and kept there,
 * so that sessions and encrypted values survive restarts. In production they come from env.
 */
export type LocalSecrets = {
  authSecret: string;
  encryptionKey: string;
  postgresPassword: string;
};

export function loadOrCreateLocalSecrets(dir: string): LocalSecrets {
  const file = path.join(dir, "secrets.json");
  const existing: Partial<LocalSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const secrets: LocalSecrets = {
    authSecret: existing.authSecret ?? randomBytes(32).toString("base64url"),
    encryptionKey: existing.encryptionKey ?? randomBytes(32).toString("base64"),
    postgresPassword: existing.postgresPassword ?? randomBytes(18).toString("base64url"),
  };
  if (JSON.stringify(existing) !== JSON.stringify(secrets)) {
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}
