import http from "node:http";
import https from "node:https";
import { AppError } from "../errors";
import { allowPrivateTargets } from "../env";
import { BlockedAddressError, checkTargetUrl, guardedLookup } from "../net/url-guard";
import { MAX_METADATA_BYTES } from "./idp-metadata";

/**
 * An admin often pastes the address of the IdP's sign-in or app page instead of its metadata URL:
 * the answer is then HTML, which the metadata parser would only call "a DOCTYPE" or bad XML.
 */
function isWebPage(contentType: string | undefined, text: string): boolean {
  if (contentType && /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType)) return true;
  return /^\s*(<\?xml[^>]*>\s*)?(<!doctype\s+html\b|<html\b)/i.test(text);
}

function webPageMessage(field: string): string {
  return field === "discoveryUrl"
    ? "This is a web page, not an OpenID discovery document. Enter the issuer, or the URL ending in /.well-known/openid-configuration."
    : "This is a web page, not SAML metadata. Copy the metadata URL from your IdP's SAML app (Okta: Sign On tab, Metadata URL; Entra ID: App Federation Metadata Url).";
}

/**
 * Fetches IdP metadata (or an OpenID discovery document) from a URL an admin typed. The server
 * makes the request, so it goes through the shared URL guard (src/server/net/url-guard.ts):
 * private, loopback and link-local addresses are refused unless ALLOW_PRIVATE_TARGETS=true, when
 * the URL is checked and again when the connection is made (DNS rebinding). With a timeout, a
 * size cap and no redirects.
 */
export async function fetchIdpMetadata(
  rawUrl: string,
  options: { timeoutMs?: number; allowPrivate?: boolean; field?: string } = {},
): Promise<string> {
  const field = options.field ?? "metadataUrl";
  const label = field === "discoveryUrl" ? "The discovery URL" : "The metadata URL";
  let url: URL;
  try {
    url = new URL(rawUrl.trim());
  } catch {
    throw new AppError("BAD_REQUEST", "This is not a URL.", { field });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new AppError("BAD_REQUEST", `${label} must start with https://.`, { field });
  if (url.username || url.password) throw new AppError("BAD_REQUEST", `${label} must not contain a user name or password.`, { field });
  const check = await checkTargetUrl(url.toString(), { allowPrivate: options.allowPrivate ?? allowPrivateTargets() });
  if (!check.ok) throw new AppError("BAD_REQUEST", url.protocol === "http:" ? `${label} must use https://.` : check.message, { field });
  const allowPrivate = options.allowPrivate ?? allowPrivateTargets();
  const timeoutMs = options.timeoutMs ?? 10_000;

  return new Promise<string>((resolve, reject) => {
    const fail = (message: string) => reject(new AppError("BAD_REQUEST", message, { field }));
    const request = (url.protocol === "https:" ? https : http).request(
      url,
      {
        method: "GET",
        lookup: guardedLookup(allowPrivate),
        timeout: timeoutMs,
        headers: { accept: "application/samlmetadata+xml, application/xml, text/xml, application/json" },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          response.resume();
          return fail(`${label} redirects (HTTP ${status}); paste the final URL.`);
        }
        if (status < 200 || status >= 300) {
          response.resume();
          return fail(`${label} answered HTTP ${status}.`);
        }
        if (Number(response.headers["content-length"] ?? "0") > MAX_METADATA_BYTES) {
          response.destroy();
          return fail(`The document at this URL is larger than ${MAX_METADATA_BYTES / 1024} KB.`);
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.byteLength;
          if (size > MAX_METADATA_BYTES) {
            response.destroy();
            fail(`The document at this URL is larger than ${MAX_METADATA_BYTES / 1024} KB.`);
            return;
          }
          chunks.push(chunk);
        });
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (isWebPage(response.headers["content-type"], text)) return fail(webPageMessage(field));
          resolve(text);
        });
        response.on("error", (error) => fail(`${label} could not be read (${error.message}).`));
      },
    );
    request.on("timeout", () => {
      request.destroy();
      fail(`${label} did not answer within ${Math.round(timeoutMs / 1000)} seconds.`);
    });
    request.on("error", (error) => {
      if (error instanceof BlockedAddressError || (error as { code?: string }).code === "EBLOCKED") {
        return fail(`The host ${url.hostname} is a private or local address; the server does not fetch from those.`);
      }
      fail(`${label} could not be reached (${error.message}).`);
    });
    request.end();
  });
}
