import { createHash, X509Certificate } from "node:crypto";
import { DOMParser, type Element } from "@xmldom/xmldom";
import { xmlParserOptions } from "./idp-metadata";
import { jackson } from "./jackson";

/**
 * Why a signature did not verify, in words an admin can act on. The certificate a SAML response
 * carries in its KeyInfo is never trusted (Jackson verifies with the profile's own certificates);
 * it is only read to tell "signed by a certificate this profile does not know" (the IdP rotated
 * its key, or another IdP signed) from "signed by a known certificate but altered".
 */
const DS = "http://www.w3.org/2000/09/xmldsig#";

export type CertificateFacts = { fingerprint: string; subject: string; notAfter: Date };

/** SHA-256 of the DER, as colon-separated hex (how IdP consoles show it). */
export function certificateFacts(base64OrPem: string): CertificateFacts | null {
  const body = base64OrPem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
  if (!body) return null;
  const der = Buffer.from(body, "base64");
  try {
    const cert = new X509Certificate(der);
    const hex = createHash("sha256").update(der).digest("hex").toUpperCase();
    return { fingerprint: hex.match(/.{2}/g)!.join(":"), subject: cert.subject.replace(/\n/g, ", "), notAfter: new Date(cert.validTo) };
  } catch {
    return null;
  }
}

/** The certificates in the response's signatures' KeyInfo (none when the IdP leaves them out). */
export function embeddedSigningCertificates(samlResponseXml: string): CertificateFacts[] {
  if (/<!DOCTYPE/i.test(samlResponseXml)) return [];
  const errors: string[] = [];
  let root: Element | null;
  try {
    root = new DOMParser(xmlParserOptions(errors)).parseFromString(samlResponseXml, "text/xml").documentElement;
  } catch {
    return [];
  }
  if (!root || errors.length) return [];
  const out: CertificateFacts[] = [];
  const signatures = root.getElementsByTagNameNS(DS, "Signature");
  for (let i = 0; i < signatures.length; i++) {
    const certs = (signatures.item(i) as Element).getElementsByTagNameNS(DS, "X509Certificate");
    for (let j = 0; j < certs.length; j++) {
      const facts = certificateFacts(certs.item(j)?.textContent ?? "");
      if (facts && !out.some((c) => c.fingerprint === facts.fingerprint)) out.push(facts);
    }
  }
  return out;
}

/** The signing certificates Jackson verifies this connection's responses with. */
export async function trustedCertificates(jacksonClientId: string): Promise<CertificateFacts[]> {
  const { connectionAPIController } = await jackson();
  const [connection] = await connectionAPIController.getConnections({ clientID: jacksonClientId });
  const publicKey = (connection as { idpMetadata?: { publicKey?: string } } | undefined)?.idpMetadata?.publicKey ?? "";
  return publicKey
    .split(",")
    .map((c) => certificateFacts(c))
    .filter((c): c is CertificateFacts => c !== null);
}

/**
 * When the response was signed by a certificate the profile does not trust, the sentence for the
 * Sign-ins log; null when it cannot tell (no certificate in the response, or a trusted one: then
 * the content was altered, and Jackson's own message stands).
 */
export async function describeUnknownSigner(options: { samlResponseXml: string; jacksonClientId: string }): Promise<string | null> {
  const embedded = embeddedSigningCertificates(options.samlResponseXml);
  if (embedded.length === 0) return null;
  const trusted = await trustedCertificates(options.jacksonClientId);
  if (embedded.some((c) => trusted.some((t) => t.fingerprint === c.fingerprint))) return null;
  const signer = embedded[0]!;
  const known = trusted.map((t) => `${t.fingerprint} (until ${t.notAfter.toISOString().slice(0, 10)})`).join("; ");
  return (
    `The response is signed by an unknown certificate: ${signer.subject || "no subject"}, SHA-256 ${signer.fingerprint}, ` +
    `valid until ${signer.notAfter.toISOString().slice(0, 10)}. The profile trusts ${known || "no certificate"}. ` +
    `If the identity provider rotated its certificate, re-import its metadata (a metadata URL is re-read daily).`
  );
}
