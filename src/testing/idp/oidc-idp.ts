/**
 * An OpenID Provider for tests, built on `oidc-provider` (an implementation we did not write),
 * listening on 127.0.0.1 at a random free port. The login/consent interaction is programmatic:
 * whoever the test put in `nextLogin` signs in, and consent is granted for the scopes asked.
 *
 * The issuer is named `http://localhost:<port>` (which resolves to 127.0.0.1 here): Jackson
 * lets openid-client talk plain http only to a host named "localhost" (oidc-client.js,
 * `isLocalhost`), and a real provider uses https anyway.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export type OidcTestUser = { email: string; givenName?: string; familyName?: string };

export type TestOidcIdp = {
  issuer: string;
  discoveryUrl: string;
  clientId: string;
  clientSecret: string;
  /** Who signs in at the next interaction; `null` makes the provider answer access_denied. */
  nextLogin: OidcTestUser | null;
  close(): Promise<void>;
};

type Interaction = {
  prompt: { name: string; details: { missingOIDCScope?: string[]; missingOIDCClaims?: string[] } };
  params: { client_id: string };
  session?: { accountId: string };
};

export async function startOidcIdp(options: { redirectUri: string; clientId?: string; clientSecret?: string }): Promise<TestOidcIdp> {
  const clientId = options.clientId ?? `client-${Math.random().toString(36).slice(2, 8)}`;
  const clientSecret = options.clientSecret ?? `secret-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  const accounts = new Map<string, OidcTestUser>();
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://localhost:${port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        token_endpoint_auth_method: "client_secret_post",
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["given_name", "family_name", "name"] },
    cookies: { keys: ["test-cookie-key-0123456789"] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx: unknown, sub: string) {
      const user = accounts.get(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            email: user.email,
            email_verified: true,
            given_name: user.givenName,
            family_name: user.familyName,
            name: [user.givenName, user.familyName].filter(Boolean).join(" ") || undefined,
          };
        },
      };
    },
  });
  provider.on("server_error", (_ctx: unknown, error: Error) => console.error("[oidc-provider]", error));
  const callback = provider.callback();

  const idp: TestOidcIdp = {
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    clientId,
    clientSecret,
    nextLogin: null,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!req.url?.startsWith("/interaction/")) return callback(req, res);
    void (async () => {
      try {
        const details = (await provider.interactionDetails(req, res)) as Interaction;
        if (details.prompt.name === "login") {
          const user = idp.nextLogin;
          if (!user) {
            await provider.interactionFinished(
              req,
              res,
              { error: "access_denied", error_description: "The user cancelled the sign-in." },
              { mergeWithLastSubmission: false },
            );
            return;
          }
          const sub = `sub-${user.email}`;
          accounts.set(sub, user);
          await provider.interactionFinished(req, res, { login: { accountId: sub } }, { mergeWithLastSubmission: false });
          return;
        }
        // Consent: grant what was asked.
        const grant = new provider.Grant({ accountId: details.session!.accountId, clientId: details.params.client_id });
        if (details.prompt.details.missingOIDCScope) grant.addOIDCScope(details.prompt.details.missingOIDCScope.join(" "));
        if (details.prompt.details.missingOIDCClaims) grant.addOIDCClaims(details.prompt.details.missingOIDCClaims);
        const grantId = await grant.save();
        await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      } catch (error) {
        res.statusCode = 500;
        res.end(String(error));
      }
    })();
  });
  return idp;
}

/**
 * A browser's redirects, with a cookie jar: follows Location headers from `url` until one leads
 * to a URL starting with `stopAt` (returned, not followed).
 */
export async function followRedirects(url: string, stopAt: string, maxHops = 12): Promise<string> {
  const jar = new Map<string, string>();
  let current = url;
  for (let hop = 0; hop < maxHops; hop += 1) {
    if (current.startsWith(stopAt)) return current;
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const response = await fetch(current, { redirect: "manual", headers: cookie ? { cookie } : {} });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
    const location = response.headers.get("location");
    if (!location) throw new Error(`No redirect from ${current} (HTTP ${response.status}): ${(await response.text()).slice(0, 300)}`);
    await response.body?.cancel();
    current = new URL(location, current).toString();
  }
  throw new Error(`Too many redirects from ${url}`);
}
