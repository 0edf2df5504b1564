import { DOMParser, type Element } from "@xmldom/xmldom";
import { xmlParserOptions } from "./idp-metadata";

/**
 * Checks Jackson does not make, applied to the raw SAMLResponse before Jackson verifies its
 * signature (SAML 2.0 core §3.2.2, profiles §4.1.4.2–4.1.4.3):
 * - exactly one assertion in the whole document, so a wrapped (moved or duplicated) copy cannot
 *   sit beside the one the signature covers;
 * - Destination and every SubjectConfirmationData Recipient equal this tenant's ACS URL;
 * - every Audience equals this tenant's entity ID exactly (Jackson compares with startsWith);
 * - SP-initiated (`solicited`, the RelayState is the state of a sign-in we started): the response
 *   answers a request (InResponseTo, which Jackson then matches to the request it stored);
 *   IdP-initiated (an Okta app tile): the response must answer none (no InResponseTo anywhere), so
 *   a response captured from an SP-initiated sign-in cannot be replayed as a tile click. Whether
 *   the profile accepts unsolicited responses at all is the ACS's decision (it knows the profile);
 * - Conditions and SubjectConfirmationData time windows, with a small clock skew.
 * Because every element of each kind is checked, whichever one the signature covers passes too.
 * Returns the IDs that make this response single-use.
 */
export type SamlGuardExpectations = {
  acsUrl: string;
  audience: string;
  /** True (the default) for a response to a sign-in we started; false for an IdP-initiated one. */
  solicited?: boolean;
  now?: Date;
  skewSeconds?: number;
};
export type SamlGuardResult = { issuer: string; responseId: string; assertionId: string | null; replayUntil: Date };

/** `issuer`: the IdP the refused response names, when it got that far (the ACS attributes the refusal to it). */
export class SamlResponseRefused extends Error {
  constructor(
    message: string,
    readonly issuer?: string,
  ) {
    super(message);
  }
}

const P = "urn:oasis:names:tc:SAML:2.0:protocol";
const A = "urn:oasis:names:tc:SAML:2.0:assertion";
const MAX_RESPONSE_BYTES = 256 * 1024;

function all(root: Element, ns: string, local: string): Element[] {
  const list = root.getElementsByTagNameNS(ns, local);
  const out: Element[] = [];
  for (let i = 0; i < list.length; i++) out.push(list.item(i) as Element);
  return out;
}

function time(value: string | null, what: string): Date | null {
  if (!value) return null;
  const t = new Date(value);
  if (Number.isNaN(t.getTime())) throw new SamlResponseRefused(`The ${what} time is not a valid date.`);
  return t;
}

export function decodeSamlResponse(base64: string): string {
  if (!base64 || base64.length > (MAX_RESPONSE_BYTES * 4) / 3 + 4)
    throw new SamlResponseRefused("The SAML response is missing or too large.");
  return Buffer.from(base64, "base64").toString("utf8");
}

export function checkSamlResponse(xml: string, expect: SamlGuardExpectations): SamlGuardResult {
  const root = responseElement(xml);
  const issuers = all(root, A, "Issuer").filter((e) => e.parentNode === root);
  const issuer = issuers[0]?.textContent?.trim() ?? all(root, A, "Issuer")[0]?.textContent?.trim() ?? "";
  if (!issuer) throw new SamlResponseRefused("The SAML response has no Issuer.");
  // From here on the response names its IdP: a refusal carries it, so the ACS can attribute it.
  try {
    return checkResponse(root, issuer, expect);
  } catch (error) {
    if (error instanceof SamlResponseRefused) throw new SamlResponseRefused(error.message, issuer);
    throw error;
  }
}

/** The document's root, if it is a SAML Response: well-formed XML without a DOCTYPE. */
function responseElement(xml: string): Element {
  if (/<!DOCTYPE/i.test(xml)) throw new SamlResponseRefused("The SAML response contains a DOCTYPE.");
  const errors: string[] = [];
  let doc: ReturnType<DOMParser["parseFromString"]>;
  try {
    doc = new DOMParser(xmlParserOptions(errors)).parseFromString(xml, "text/xml");
  } catch {
    throw new SamlResponseRefused("The SAML response is not well-formed XML.");
  }
  const root = doc.documentElement;
  if (errors.length || !root) throw new SamlResponseRefused("The SAML response is not well-formed XML.");
  if (root.localName !== "Response" || root.namespaceURI !== P) throw new SamlResponseRefused("The message is not a SAML Response.");
  return root;
}

function checkResponse(root: Element, issuer: string, expect: SamlGuardExpectations): SamlGuardResult {
  const now = (expect.now ?? new Date()).getTime();
  const skew = (expect.skewSeconds ?? 180) * 1000;

  const responseId = root.getAttribute("ID");
  if (!responseId) throw new SamlResponseRefused("The SAML response has no ID.");
  const solicited = expect.solicited ?? true;
  if (solicited && !root.getAttribute("InResponseTo"))
    throw new SamlResponseRefused(
      "The SAML response does not answer a sign-in request (no InResponseTo): unsolicited responses are not accepted.",
    );
  if (!solicited && root.getAttribute("InResponseTo"))
    throw new SamlResponseRefused(
      "The SAML response answers a sign-in request (InResponseTo) but arrived without that sign-in's state: it is not an IdP-initiated response.",
    );
  const destination = root.getAttribute("Destination");
  if (destination && destination !== expect.acsUrl)
    throw new SamlResponseRefused(`The SAML response was sent to ${destination}, not to this organisation's ACS URL.`);

  const assertions = all(root, A, "Assertion");
  const encrypted = all(root, A, "EncryptedAssertion");
  if (assertions.length + encrypted.length !== 1) {
    throw new SamlResponseRefused(
      assertions.length + encrypted.length === 0
        ? "The SAML response carries no assertion."
        : "The SAML response carries more than one assertion (possible signature wrapping).",
    );
  }

  let replayUntil = new Date(now + 10 * 60 * 1000);
  let assertionId: string | null = null;
  const assertion = assertions[0];
  if (assertion) {
    if (assertion.parentNode !== root)
      throw new SamlResponseRefused("The assertion is not a direct child of the response (possible signature wrapping).");
    assertionId = assertion.getAttribute("ID");
    if (!assertionId) throw new SamlResponseRefused("The assertion has no ID.");

    const audiences = all(assertion, A, "Audience").map((e) => e.textContent?.trim() ?? "");
    if (audiences.length === 0) throw new SamlResponseRefused("The assertion has no audience restriction.");
    const wrongAudience = audiences.find((a) => a !== expect.audience);
    if (wrongAudience !== undefined)
      throw new SamlResponseRefused(`The assertion is meant for "${wrongAudience}", not for this organisation (${expect.audience}).`);

    const confirmations = all(assertion, A, "SubjectConfirmationData");
    if (confirmations.length === 0) throw new SamlResponseRefused("The assertion has no SubjectConfirmationData.");
    for (const scd of confirmations) {
      if (!solicited && scd.getAttribute("InResponseTo"))
        throw new SamlResponseRefused(
          "The assertion answers a sign-in request (InResponseTo) but arrived without that sign-in's state: it is not an IdP-initiated response.",
        );
      const recipient = scd.getAttribute("Recipient");
      if (recipient !== expect.acsUrl)
        throw new SamlResponseRefused(`The assertion's recipient is ${recipient ?? "missing"}, not this organisation's ACS URL.`);
      const notOnOrAfter = time(scd.getAttribute("NotOnOrAfter"), "subject confirmation NotOnOrAfter");
      if (notOnOrAfter && now >= notOnOrAfter.getTime() + skew) throw new SamlResponseRefused("The assertion has expired.");
      const notBefore = time(scd.getAttribute("NotBefore"), "subject confirmation NotBefore");
      if (notBefore && now < notBefore.getTime() - skew) throw new SamlResponseRefused("The assertion is not valid yet.");
      if (notOnOrAfter && notOnOrAfter.getTime() + skew > replayUntil.getTime()) replayUntil = new Date(notOnOrAfter.getTime() + skew);
    }
    for (const conditions of all(assertion, A, "Conditions")) {
      const notBefore = time(conditions.getAttribute("NotBefore"), "NotBefore");
      const notOnOrAfter = time(conditions.getAttribute("NotOnOrAfter"), "NotOnOrAfter");
      if (notBefore && now < notBefore.getTime() - skew) throw new SamlResponseRefused("The assertion is not valid yet.");
      if (notOnOrAfter && now >= notOnOrAfter.getTime() + skew) throw new SamlResponseRefused("The assertion has expired.");
      if (notOnOrAfter && notOnOrAfter.getTime() + skew > replayUntil.getTime()) replayUntil = new Date(notOnOrAfter.getTime() + skew);
    }
  }
  // An encrypted assertion is opened by Jackson with the SP key; Jackson checks its signature,
  // audience (by prefix) and time, and the replay guard still applies to the response ID.
  return { issuer, responseId, assertionId, replayUntil };
}
