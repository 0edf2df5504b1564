import { X509Certificate } from "node:crypto";
import { DOMParser, type Element } from "@xmldom/xmldom";

/**
 * Reads an identity provider's SAML 2.0 metadata (OASIS saml-metadata-2.0-os §2.4.3
 * IDPSSODescriptor) and says, in words an admin can act on, what is wrong with it. Pure: no
 * network, no database.
 */
export type IdpMetadata = {
  entityId: string;
  ssoRedirectUrl: string | null;
  ssoPostUrl: string | null;
  /** The certificates usable for signing (use="signing" or no use), PEM. */
  signingCertificates: { pem: string; subject: string; notAfter: Date }[];
  /** The earliest expiry among the signing certificates. */
  certExpiresAt: Date;
  warnings: string[];
};

export class IdpMetadataError extends Error {}

/** @xmldom/xmldom 0.9's `onError` (its typings differ between builds, hence the cast). */
export function xmlParserOptions(errors: string[]): ConstructorParameters<typeof DOMParser>[0] {
  const onError = (level: string, message: unknown) => {
    if (level !== "warning") errors.push(String(message));
  };
  return { onError } as unknown as ConstructorParameters<typeof DOMParser>[0];
}

const MD = "urn:oasis:names:tc:SAML:2.0:metadata";
const DS = "http://www.w3.org/2000/09/xmldsig#";
const BINDING_REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
const BINDING_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
export const MAX_METADATA_BYTES = 512 * 1024;

function children(parent: Element, ns: string, local: string): Element[] {
  const out: Element[] = [];
  const list = parent.getElementsByTagNameNS(ns, local);
  for (let i = 0; i < list.length; i++) out.push(list.item(i) as Element);
  return out;
}

function toPem(base64: string): string {
  const body = base64.replace(/\s+/g, "");
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join("\n") ?? ""}\n-----END CERTIFICATE-----\n`;
}

export function parseIdpMetadata(xml: string, now: Date = new Date()): IdpMetadata {
  const text = xml.replace(/^\uFEFF/, "").trim();
  if (!text) throw new IdpMetadataError("The metadata is empty.");
  if (Buffer.byteLength(text) > MAX_METADATA_BYTES)
    throw new IdpMetadataError("The metadata is larger than 512 KB; this is not an IdP metadata file.");
  if (!text.startsWith("<"))
    throw new IdpMetadataError(
      "This is not XML. Upload or paste the IdP's SAML metadata (an XML file starting with <EntityDescriptor …>).",
    );
  if (/<!DOCTYPE/i.test(text)) throw new IdpMetadataError("The metadata contains a DOCTYPE, which is not allowed.");
  let doc: ReturnType<DOMParser["parseFromString"]>;
  const errors: string[] = [];
  try {
    doc = new DOMParser(xmlParserOptions(errors)).parseFromString(text, "text/xml");
  } catch (error) {
    throw new IdpMetadataError(`This is not well-formed XML: ${(error as Error).message.split("\n")[0]}`);
  }
  if (errors.length || !doc.documentElement)
    throw new IdpMetadataError(`This is not well-formed XML: ${errors[0]?.split("\n")[0] ?? "no root element"}`);

  const root = doc.documentElement;
  const entities = root.localName === "EntityDescriptor" && root.namespaceURI === MD ? [root] : children(root, MD, "EntityDescriptor");
  const withIdp = entities.filter((e) => children(e, MD, "IDPSSODescriptor").length > 0);
  if (withIdp.length === 0) {
    throw new IdpMetadataError(
      entities.length === 0
        ? "No SAML EntityDescriptor found: this XML is not SAML 2.0 metadata."
        : "No IDPSSODescriptor found: this is not an identity provider's metadata (is it a service provider's?).",
    );
  }
  if (withIdp.length > 1) throw new IdpMetadataError("The metadata describes several identity providers; import the metadata of one.");
  const entity = withIdp[0]!;
  const entityId = entity.getAttribute("entityID")?.trim();
  if (!entityId) throw new IdpMetadataError("The EntityDescriptor has no entityID.");
  const idp = children(entity, MD, "IDPSSODescriptor")[0]!;

  let ssoRedirectUrl: string | null = null;
  let ssoPostUrl: string | null = null;
  for (const sso of children(idp, MD, "SingleSignOnService")) {
    const binding = sso.getAttribute("Binding");
    const location = sso.getAttribute("Location")?.trim() || null;
    if (binding === BINDING_REDIRECT) ssoRedirectUrl ??= location;
    if (binding === BINDING_POST) ssoPostUrl ??= location;
  }
  if (!ssoRedirectUrl && !ssoPostUrl) {
    throw new IdpMetadataError(
      "No single sign-on URL found: the IDPSSODescriptor needs a SingleSignOnService with the HTTP-Redirect or HTTP-POST binding.",
    );
  }
  for (const url of [ssoRedirectUrl, ssoPostUrl]) {
    if (url && !/^https?:\/\//i.test(url)) throw new IdpMetadataError(`The single sign-on URL "${url}" is not an http(s) URL.`);
  }

  const signingCertificates: IdpMetadata["signingCertificates"] = [];
  for (const kd of children(idp, MD, "KeyDescriptor")) {
    const use = kd.getAttribute("use");
    if (use && use !== "signing") continue;
    for (const certEl of children(kd, DS, "X509Certificate")) {
      const pem = toPem(certEl.textContent ?? "");
      try {
        const cert = new X509Certificate(pem);
        signingCertificates.push({ pem, subject: cert.subject, notAfter: new Date(cert.validTo) });
      } catch {
        throw new IdpMetadataError("A signing certificate in the metadata cannot be read (it is not a valid X.509 certificate).");
      }
    }
  }
  if (signingCertificates.length === 0) {
    throw new IdpMetadataError(
      "No signing certificate found: the IDPSSODescriptor needs a KeyDescriptor with an X509Certificate, or SAML responses could not be verified.",
    );
  }
  const certExpiresAt = new Date(Math.min(...signingCertificates.map((c) => c.notAfter.getTime())));
  const warnings: string[] = [];
  if (signingCertificates.every((c) => c.notAfter <= now)) {
    warnings.push(
      `The IdP's signing certificate expired on ${certExpiresAt.toISOString().slice(0, 10)}. Sign-ins will fail until the IdP uses a valid certificate and you re-import its metadata.`,
    );
  } else if (certExpiresAt.getTime() - now.getTime() < 30 * 24 * 3600 * 1000) {
    warnings.push(
      `The IdP's signing certificate expires on ${certExpiresAt.toISOString().slice(0, 10)}; plan to re-import the metadata after the IdP rotates it.`,
    );
  }
  return { entityId, ssoRedirectUrl, ssoPostUrl, signingCertificates, certExpiresAt, warnings };
}
