import { createHash } from "node:crypto";
import type { SAMLJackson, JacksonOption } from "@boxyhq/saml-jackson";
import { databaseUrlInOwnSchema } from "../db/own-schema";
import { serverEnv } from "../env";
import { installGuardedDefaultAgents } from "../net/guarded-agents";
import { ssoUrls } from "./urls";
import { log } from "../observability/logger";

/**
 * One Jackson per process, created on first use: initialising connects to PostgreSQL and takes
 * about 2 s, and `next build` has no database, so never at import.
 *
 * Jackson keeps its tables (jackson_store/index/ttl) in its own PostgreSQL schema, `jackson`, so
 * they never meet Prisma's migrations. Its store is encrypted with a key derived from
 * ENCRYPTION_KEY (connections hold client secrets).
 */
const JACKSON_SCHEMA = "jackson";
/** Jackson's "product": one product, our tenants are Jackson's tenants. */
export const JACKSON_PRODUCT = "portal";
/** Jackson's RelayState for the sign-ins it starts (its `relayStatePrefix`): any other is IdP-initiated. */
export const JACKSON_RELAY_STATE_PREFIX = "boxyhq_jackson_";

const globalForJackson = globalThis as unknown as { jackson?: Promise<SAMLJackson> };

export function jackson(): Promise<SAMLJackson> {
  globalForJackson.jackson ??= initJackson().catch((error: unknown) => {
    globalForJackson.jackson = undefined;
    throw error;
  });
  return globalForJackson.jackson;
}

/** For tests: drop the instance so the next call starts a new one. */
export async function closeJackson() {
  const current = globalForJackson.jackson;
  globalForJackson.jackson = undefined;
  if (current) await (await current).close().catch(() => undefined);
}

async function initJackson(): Promise<SAMLJackson> {
  // Jackson's OpenID Connect client calls the provider with Node's default agents at every sign-in.
  installGuardedDefaultAgents();
  const env = serverEnv();
  // Jackson opens its own connections (TypeORM, from a URL): db/ makes its schema and hands out only the URL.
  const storeUrl = await databaseUrlInOwnSchema(JACKSON_SCHEMA);
  const urls = ssoUrls(env.APP_URL);
  // Jackson's encrypter hands this string to createCipheriv as an AES-256 key: 32 characters.
  const storeKey = createHash("sha256").update(`jackson-store:${env.ENCRYPTION_KEY}`).digest("base64").slice(0, 32);
  const options: JacksonOption = {
    externalUrl: env.APP_URL,
    samlPath: urls.defaultAcsPath,
    oidcPath: urls.oidcCallbackPath,
    samlAudience: urls.defaultEntityId,
    // Unsolicited (IdP-initiated) responses reach Jackson only from our ACS, and only for a profile
    // that allows them ("Allow sign-in from the IdP's dashboard"); the ACS decides (sign-in.ts).
    idpEnabled: true,
    db: {
      engine: "sql",
      type: "postgres",
      url: storeUrl,
      encryptionKey: storeKey,
      ttl: 300,
      cleanupLimit: 1000,
    },
    openid: {},
    noAnalytics: true,
    logger: {
      info: () => undefined,
      warn: (msg: string) => log().warn(`[jackson] ${msg}`),
      error: (msg: string) => log().error(`[jackson] ${msg}`),
    },
  };
  const { default: init } = await import("@boxyhq/saml-jackson");
  return init(options);
}
