/** Builds IdP metadata XML for tests (unit and integration). */
export function idpMetadataXml(options: {
  entityId: string;
  certPem?: string | null;
  ssoUrl?: string | null;
  binding?: "redirect" | "post";
  use?: string;
}): string {
  const cert = options.certPem ? options.certPem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "") : null;
  const binding =
    options.binding === "post" ? "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" : "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
  return `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${options.entityId}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAuthnRequestsSigned="false">
    ${cert ? `<md:KeyDescriptor use="${options.use ?? "signing"}"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` : ""}
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    ${options.ssoUrl === null ? "" : `<md:SingleSignOnService Binding="${binding}" Location="${options.ssoUrl ?? "https://idp.example.com/sso"}"/>`}
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
}
