/**
 * The product's SSO URLs. Each tenant has its own SP entity ID and ACS URL (Jackson's per
 * connection audience/ACS overrides), so an assertion made for one tenant is refused by another.
 */
export function ssoUrls(appUrl: string) {
  const base = appUrl.replace(/\/+$/, "");
  return {
    base,
    defaultAcsPath: "/api/oauth/saml",
    oidcCallbackPath: "/api/oauth/oidc",
    oidcCallbackUrl: `${base}/api/oauth/oidc`,
    defaultEntityId: `${base}/api/sso`,
    /** Where Jackson sends the browser back with a code, for every profile. */
    callbackUrl: `${base}/api/sso/callback`,
    tenant(slug: string) {
      const t = `${base}/api/sso/${encodeURIComponent(slug)}`;
      return {
        entityId: `${t}/metadata`,
        metadataUrl: `${t}/metadata`,
        acsUrl: `${t}/acs`,
        startUrl: `${t}/start`,
        portalUrl: `${base}/portal/${encodeURIComponent(slug)}`,
        signInUrl: `${base}/portal/${encodeURIComponent(slug)}/sign-in`,
      };
    },
  };
}
