/**
 * Whether a state-changing request may come from where it says it comes from. Browsers send
 * Sec-Fetch-Site and Origin with every POST and a page cannot forge them, so a request that a
 * page of another site made the victim's browser send (with the session cookie, which SameSite=Lax
 * still sends to sibling subdomains and other ports of the same host) says so. A request with
 * neither header does not come from a browser page (scripts, API clients) and carries no
 * ambient cookie it did not put there itself.
 *
 * Returns why the request is refused, or null when it may proceed.
 */
export function crossSiteRefusal(method: string, headers: { get(name: string): string | null }, appOrigin: string): string | null {
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return null;
  const fetchSite = headers.get("sec-fetch-site");
  const origin = headers.get("origin");
  if (fetchSite !== null && fetchSite !== "same-origin") {
    return `This request came from another site (Sec-Fetch-Site: ${fetchSite}); the console only takes changes from its own pages at ${appOrigin}.`;
  }
  if (origin !== null && origin !== appOrigin) {
    return `This request came from another site (Origin: ${origin}); the console only takes changes from its own pages at ${appOrigin} (the same origin as APP_URL).`;
  }
  return null;
}
