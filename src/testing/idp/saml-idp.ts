/**
 * A SAML identity provider for tests, built on samlify (an implementation we did not write) in
 * the IdP role: it reads our AuthnRequest, and answers with a signed SAMLResponse. Options bend
 * one thing at a time (audience, recipient, times, signing key…) for the security tests; the
 * response is still produced and signed by samlify.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import * as samlify from "samlify";
import * as xmllint from "@authenio/samlify-node-xmllint";

samlify.setSchemaValidator(xmllint);

const fixtures = path.join(import.meta.dirname, "keys");
function fixture(name: string): string {
  return readFileSync(path.join(fixtures, name), "utf8");
}

export type TestUser = { email: string; firstName?: string; lastName?: string };

export type ResponseOverrides = {
  audience?: string;
  recipient?: string;
  destination?: string;
  inResponseTo?: string | null;
  notBefore?: Date;
  notOnOrAfter?: Date;
};

const REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";

export class TestSamlIdp {
  readonly entityId: string;
  readonly ssoUrl: string;
  private readonly keyName: string;
  private readonly certName: string;
  nextUser: TestUser | null = null;

  constructor(options: {
    entityId: string;
    ssoUrl?: string;
    key?: "idp-a" | "idp-b" | "attacker";
    cert?: "idp-a" | "idp-b" | "attacker" | "expired";
  }) {
    this.entityId = options.entityId;
    this.ssoUrl = options.ssoUrl ?? `${options.entityId.replace(/\/+$/, "")}/sso`;
    this.keyName = options.key ?? "idp-a";
    this.certName = options.cert ?? this.keyName;
  }

  /** The metadata an admin imports: advertises `cert` (by default the signing key's own). */
  metadata(options: { cert?: string } = {}): string {
    return this.entity({ cert: options.cert ?? this.certName }).getMetadata();
  }

  private entity(options: { key?: string; cert?: string } = {}) {
    return samlify.IdentityProvider({
      entityID: this.entityId,
      privateKey: fixture(`${options.key ?? this.keyName}.key.pem`),
      signingCert: fixture(`${options.cert ?? this.certName}.cert.pem`),
      singleSignOnService: [{ Binding: REDIRECT, Location: this.ssoUrl }],
      nameIDFormat: ["urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"],
      wantAuthnRequestsSigned: false,
      isAssertionEncrypted: false,
    });
  }

  private sp(spMetadataXml: string, signResponse: boolean) {
    // Our SP metadata does not say WantAssertionsSigned; an IdP admin ticks "sign assertion".
    const metadata = spMetadataXml.replace("<md:SPSSODescriptor ", '<md:SPSSODescriptor WantAssertionsSigned="true" ');
    return samlify.ServiceProvider({ metadata, wantMessageSigned: signResponse });
  }

  /** Reads an HTTP-Redirect AuthnRequest (the URL Jackson sent the browser to). */
  async parseRequest(spMetadataXml: string, redirectUrl: string): Promise<{ id: string; relayState: string; acsUrl: string }> {
    const url = new URL(redirectUrl);
    const { extract } = await this.entity().parseLoginRequest(this.sp(spMetadataXml, false), "redirect", {
      query: Object.fromEntries(url.searchParams),
      octetString: "",
    } as never);
    return {
      id: extract.request!.id as string,
      relayState: url.searchParams.get("RelayState") ?? "",
      acsUrl: extract.request!.assertionConsumerServiceUrl as string,
    };
  }

  /** A base64 SAMLResponse for `user`, signed by `signWith` (default: this IdP's key). */
  async response(options: {
    spMetadataXml: string;
    requestId: string | null;
    user: TestUser;
    overrides?: ResponseOverrides;
    signWith?: "idp-a" | "idp-b" | "attacker";
    signResponse?: boolean;
  }): Promise<string> {
    const sp = this.sp(options.spMetadataXml, options.signResponse ?? false);
    const idp = this.entity({ key: options.signWith ?? this.keyName, cert: options.signWith ?? this.certName });
    const spEntityId = sp.entityMeta.getEntityID();
    const acs = /<md:AssertionConsumerService[^>]*Location="([^"]+)"/.exec(options.spMetadataXml)?.[1] ?? "";
    const o = options.overrides ?? {};
    const now = new Date();
    const notOnOrAfter = (o.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000)).toISOString();
    const inResponseTo = o.inResponseTo === null ? "" : (o.inResponseTo ?? options.requestId ?? "");
    const attributes = [
      ["email", options.user.email],
      ["firstName", options.user.firstName ?? "Test"],
      ["lastName", options.user.lastName ?? "User"],
    ]
      .map(
        ([name, value]) =>
          `<saml:Attribute Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic"><saml:AttributeValue xsi:type="xs:string">${value}</saml:AttributeValue></saml:Attribute>`,
      )
      .join("");
    const { context } = await idp.createLoginResponse(
      sp,
      { extract: { request: { id: options.requestId ?? "" } } },
      "post",
      { email: options.user.email },
      (template: string) => {
        const id = `_${crypto.randomUUID()}`;
        const values: Record<string, string> = {
          ID: id,
          AssertionID: `_${crypto.randomUUID()}`,
          Destination: o.destination ?? acs,
          Audience: o.audience ?? spEntityId,
          SubjectRecipient: o.recipient ?? acs,
          Issuer: this.entityId,
          IssueInstant: now.toISOString(),
          StatusCode: "urn:oasis:names:tc:SAML:2.0:status:Success",
          ConditionsNotBefore: (o.notBefore ?? new Date(now.getTime() - 60_000)).toISOString(),
          ConditionsNotOnOrAfter: notOnOrAfter,
          SubjectConfirmationDataNotOnOrAfter: notOnOrAfter,
          NameIDFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
          NameID: options.user.email,
          InResponseTo: inResponseTo,
          AuthnStatement: `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="${id}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`,
          AttributeStatement: `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>`,
        };
        let xml = template.replace(/\{(\w+)\}/g, (all, tag: string) => values[tag] ?? all);
        if (inResponseTo === "") xml = xml.replace(/ InResponseTo=""/g, "");
        return { id, context: xml };
      },
    );
    return context;
  }
}

export function decode(base64: string): string {
  return Buffer.from(base64, "base64").toString("utf8");
}
export function encode(xml: string): string {
  return Buffer.from(xml, "utf8").toString("base64");
}

/**
 * The IdP as an HTTP server on 127.0.0.1 (for Playwright): /metadata, /sso which reads the
 * AuthnRequest and answers with a page that auto-posts the signed response for `nextUser` to the
 * ACS the request names, and /tile, an app tile click (an unsolicited response, IdP-initiated).
 */
export async function startSamlIdpServer(options: { key?: "idp-a" | "idp-b" } = {}) {
  let idp: TestSamlIdp | null = null;
  const state = { spMetadataUrl: "" };
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
      if (url.pathname === "/metadata") {
        res.writeHead(200, { "content-type": "application/samlmetadata+xml" }).end(idp!.metadata());
        return;
      }
      if (url.pathname === "/sso") {
        const spMetadataXml = await (await fetch(state.spMetadataUrl)).text();
        const request = await idp!.parseRequest(spMetadataXml, url.toString());
        if (!idp!.nextUser) {
          res.writeHead(403, { "content-type": "text/plain" }).end("No user is signed in at the test IdP.");
          return;
        }
        const response = await idp!.response({ spMetadataXml, requestId: request.id, user: idp!.nextUser });
        res
          .writeHead(200, { "content-type": "text/html" })
          .end(
            `<!doctype html><html><body><p>Test IdP: signing in ${idp!.nextUser.email}…</p><form method="post" action="${request.acsUrl}"><input type="hidden" name="SAMLResponse" value="${response}"><input type="hidden" name="RelayState" value="${request.relayState.replace(/"/g, "&quot;")}"><noscript><button type="submit">Continue</button></noscript></form><script>document.forms[0].submit()</script></body></html>`,
          );
        return;
      }
      if (url.pathname === "/tile") {
        // The app tile in the user's IdP dashboard: an unsolicited response for `nextUser`, posted to
        // the ACS in the SP metadata, with no RelayState (Okta's default).
        const spMetadataXml = await (await fetch(state.spMetadataUrl)).text();
        const acsUrl = /<md:AssertionConsumerService[^>]*Location="([^"]+)"/.exec(spMetadataXml)?.[1] ?? "";
        if (!idp!.nextUser) {
          res.writeHead(403, { "content-type": "text/plain" }).end("No user is signed in at the test IdP.");
          return;
        }
        const response = await idp!.response({ spMetadataXml, requestId: null, user: idp!.nextUser });
        res
          .writeHead(200, { "content-type": "text/html" })
          .end(
            `<!doctype html><html><body><p>Test IdP: opening the app for ${idp!.nextUser.email}…</p><form method="post" action="${acsUrl}"><input type="hidden" name="SAMLResponse" value="${response}"><noscript><button type="submit">Continue</button></noscript></form><script>document.forms[0].submit()</script></body></html>`,
          );
        return;
      }
      res.writeHead(404).end();
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" }).end(String((error as Error).stack ?? error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  idp = new TestSamlIdp({ entityId: `${base}/metadata`, ssoUrl: `${base}/sso`, key: options.key });
  return {
    idp,
    base,
    /** The SP metadata URL of the tenant being tested (the IdP admin configured it). */
    state,
    metadataUrl: `${base}/metadata`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
