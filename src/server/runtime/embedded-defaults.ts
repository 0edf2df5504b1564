import { dataDir } from "./data-dir";
import { loadOrCreateLocalSecrets } from "./local-secrets";

/**
 * On the embedded default (no DATABASE_URL) the product needs no configuration: the secrets
 * it needs are generated once into the data folder. Explicit env always wins.
 */
export function applyEmbeddedDefaults(port: number) {
  if (!process.env.DATABASE_URL) {
    const secrets = loadOrCreateLocalSecrets(dataDir());
    process.env.AUTH_SECRET ??= secrets.authSecret;
    process.env.ENCRYPTION_KEY ??= secrets.encryptionKey;
  }
  process.env.APP_URL ??= `http://localhost:${port}`;
}
