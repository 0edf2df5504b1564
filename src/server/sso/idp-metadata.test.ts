import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { IdpMetadataError, parseIdpMetadata } from "./idp-metadata";
import { idpMetadataXml } from "../../testing/idp/idp-metadata";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "../../testing/idp/keys", name), "utf8");
const cert = fixture("idp-a.cert.pem");
const expired = fixture("expired.cert.pem");
const now = new Date("2026-06-01T00:00:00Z");

describe("parseIdpMetadata", () => {
  it("reads entity id, SSO URLs and the signing certificate", () => {
    const md = parseIdpMetadata(
      idpMetadataXml({ entityId: "https://idp.example.com/e", certPem: cert, ssoUrl: "https://idp.example.com/sso" }),
      now,
    );
    expect(md.entityId).toBe("https://idp.example.com/e");
    expect(md.ssoRedirectUrl).toBe("https://idp.example.com/sso");
    expect(md.ssoPostUrl).toBeNull();
    expect(md.signingCertificates).toHaveLength(1);
    expect(md.certExpiresAt.toISOString()).toBe("2045-01-01T00:00:00.000Z");
    expect(md.warnings).toEqual([]);
  });

  it("accepts the POST binding alone", () => {
    expect(parseIdpMetadata(idpMetadataXml({ entityId: "e", certPem: cert, binding: "post" }), now).ssoPostUrl).toBe(
      "https://idp.example.com/sso",
    );
  });

  it("warns (does not refuse) on an expired certificate", () => {
    const md = parseIdpMetadata(idpMetadataXml({ entityId: "e", certPem: expired }), now);
    expect(md.warnings.join(" ")).toMatch(/expired on 2020-01-01/);
  });

  it.each([
    ["empty", "", /empty/],
    ["not XML", "hello world", /not XML/],
    ["JSON", '{"entityID":"x"}', /not XML/],
    ["broken XML", "<md:EntityDescriptor", /not well-formed/],
    ["DOCTYPE", '<!DOCTYPE x [<!ENTITY a "b">]><x/>', /DOCTYPE/],
    ["other XML", "<html><body/></html>", /No SAML EntityDescriptor/],
    [
      "SP metadata",
      '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="sp"><md:SPSSODescriptor/></md:EntityDescriptor>',
      /No IDPSSODescriptor/,
    ],
    ["no certificate", idpMetadataXml({ entityId: "e", certPem: null }), /No signing certificate/],
    ["encryption-only certificate", idpMetadataXml({ entityId: "e", certPem: cert, use: "encryption" }), /No signing certificate/],
    ["no SSO URL", idpMetadataXml({ entityId: "e", certPem: cert, ssoUrl: null }), /No single sign-on URL/],
    ["non-http SSO URL", idpMetadataXml({ entityId: "e", certPem: cert, ssoUrl: "javascript:alert(1)" }), /not an http/],
    ["no entity id", idpMetadataXml({ entityId: "", certPem: cert }), /no entityID/],
    ["bad certificate", idpMetadataXml({ entityId: "e", certPem: "AAAA" }), /cannot be read/],
  ])("refuses %s", (_name, xml, message) => {
    expect(() => parseIdpMetadata(xml, now)).toThrow(IdpMetadataError);
    expect(() => parseIdpMetadata(xml, now)).toThrow(message);
  });
});
