import type { AuthProtocol } from "@/generated/prisma/enums";
import { serverEnv } from "../env";
import { jackson, JACKSON_PRODUCT } from "./jackson";
import { ssoUrls } from "./urls";

/**
 * Profiles follow the server's APP_URL. A Jackson connection stores the URLs of the process that
 * created it: the callback allow-list and default redirect, and for SAML the tenant's ACS URL and
 * audience. A profile created under another APP_URL (the CLI run without APP_URL, a server moved
 * to a new address, a restored database) would make Jackson refuse every sign-in ("Redirect URL is
 * not allowed"). So each sign-in, at its start and at the ACS, first brings the profile's
 * connection in line with this server's URLs.
 *
 * Why at sign-in rather than once when the server starts: a start-up pass cannot see a profile the
 * CLI creates while the server runs (the reported case), and with several instances whichever
 * started last would win. Checking at the moment of use covers every way a profile came to be, costs
 * one read of the connection, and writes only when something differs.
 */
export type ConnectionUrls = { defaultRedirectUrl: string; redirectUrl: string[]; acsUrlOverride?: string; samlAudienceOverride?: string };

export function expectedConnectionUrls(options: { appUrl: string; slug: string; protocol: AuthProtocol }): ConnectionUrls {
  const urls = ssoUrls(options.appUrl);
  const common = { defaultRedirectUrl: urls.callbackUrl, redirectUrl: [urls.callbackUrl] };
  if (options.protocol !== "SAML") return common;
  const t = urls.tenant(options.slug);
  return { ...common, acsUrlOverride: t.acsUrl, samlAudienceOverride: t.entityId };
}

/** Jackson keeps redirectUrl as a list (older records: a JSON string of one). */
function redirectList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== "string") return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.map(String) : [value];
  } catch {
    return [value];
  }
}

/** What of `expected` the stored connection lacks (empty: nothing to do). */
export function staleConnectionUrls(connection: Record<string, unknown>, expected: ConnectionUrls): (keyof ConnectionUrls)[] {
  const stale: (keyof ConnectionUrls)[] = [];
  if (connection.defaultRedirectUrl !== expected.defaultRedirectUrl) stale.push("defaultRedirectUrl");
  if (redirectList(connection.redirectUrl).join("\n") !== expected.redirectUrl.join("\n")) stale.push("redirectUrl");
  if (expected.acsUrlOverride !== undefined && connection.acsUrlOverride !== expected.acsUrlOverride) stale.push("acsUrlOverride");
  if (expected.samlAudienceOverride !== undefined && connection.samlAudienceOverride !== expected.samlAudienceOverride)
    stale.push("samlAudienceOverride");
  return stale;
}

export class MissingConnectionError extends Error {
  constructor() {
    super("The SSO connection of this profile is missing from the SSO service; import the IdP metadata (or OIDC settings) again.");
  }
}

/** Updates the profile's Jackson connection to this server's URLs when they differ; returns what changed. */
export async function alignConnectionUrls(profile: {
  jacksonClientId: string;
  tenantId: string;
  slug: string;
  protocol: AuthProtocol;
}): Promise<(keyof ConnectionUrls)[]> {
  const { connectionAPIController } = await jackson();
  const [connection] = await connectionAPIController.getConnections({ clientID: profile.jacksonClientId });
  if (!connection) throw new MissingConnectionError();
  const expected = expectedConnectionUrls({ appUrl: serverEnv().APP_URL, slug: profile.slug, protocol: profile.protocol });
  const stale = staleConnectionUrls(connection as unknown as Record<string, unknown>, expected);
  if (stale.length === 0) return stale;
  const body = {
    clientID: connection.clientID,
    clientSecret: connection.clientSecret,
    tenant: profile.tenantId,
    product: JACKSON_PRODUCT,
    ...expected,
  };
  if (profile.protocol === "SAML")
    await connectionAPIController.updateSAMLConnection(body as Parameters<typeof connectionAPIController.updateSAMLConnection>[0]);
  else await connectionAPIController.updateOIDCConnection(body as Parameters<typeof connectionAPIController.updateOIDCConnection>[0]);
  return stale;
}
