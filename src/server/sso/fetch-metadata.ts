import { lookup } from "node:dns/promises";
import net from "node:net";
import { AppError } from "../errors";
import { serverEnv } from "../env";
import { MAX_METADATA_BYTES } from "./idp-metadata";

/**
 * Fetches IdP metadata from a URL an admin typed: the server makes the request, so private,
 * loopback and link-local addresses are refused unless ALLOW_PRIVATE_TARGETS=true, with a
 * timeout, a size cap and no redirects to elsewhere. (SCIM Export has its own guard with
 * per-connection DNS pinning; this one checks the resolved addresses once, which suffices for a
 * one-off read by an admin.)
 */
const blocked = new net.BlockList();
for (const [base, bits] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) blocked.addSubnet(base, bits, "ipv4");
for (const [base, bits] of [["::", 127], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8], ["::ffff:0:0", 96], ["64:ff9b::", 96]] as const) {
  blocked.addSubnet(base, bits, "ipv6");
}

export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? "ipv4" : "ipv6");
}

export async function fetchIdpMetadata(rawUrl: string, options: { timeoutMs?: number; allowPrivate?: boolean; field?: string } = {}): Promise<string> {
  const field = options.field ?? "metadataUrl";
  let url: URL;
  try {
    url = new URL(rawUrl.trim());
  } catch {
    throw new AppError("BAD_REQUEST", "This is not a URL.", { field });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new AppError("BAD_REQUEST", "The metadata URL must start with https://.", { field });
  if (url.username || url.password) throw new AppError("BAD_REQUEST", "The metadata URL must not contain a user name or password.", { field });
  const allowPrivate = options.allowPrivate ?? serverEnv().ALLOW_PRIVATE_TARGETS;
  if (!allowPrivate) {
    if (url.protocol !== "https:") throw new AppError("BAD_REQUEST", "The metadata URL must use https://.", { field });
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const addresses = net.isIP(host) ? [host] : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
    if (addresses.length === 0) throw new AppError("BAD_REQUEST", `The host ${url.hostname} could not be resolved.`, { field });
    if (addresses.some(isPrivateAddress)) throw new AppError("BAD_REQUEST", `The host ${url.hostname} is a private or local address; the server does not fetch from those.`, { field });
  }
  let response: Response;
  try {
    response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(options.timeoutMs ?? 10_000), headers: { accept: "application/samlmetadata+xml, application/xml, text/xml, application/json" } });
  } catch (error) {
    const timedOut = (error as Error).name === "TimeoutError";
    throw new AppError("BAD_REQUEST", timedOut ? "The metadata URL did not answer within 10 seconds." : `The metadata URL could not be reached (${(error as Error).message}).`, { field });
  }
  if (response.status >= 300 && response.status < 400) {
    throw new AppError("BAD_REQUEST", `The metadata URL redirects (HTTP ${response.status}); paste the final URL.`, { field });
  }
  if (!response.ok) throw new AppError("BAD_REQUEST", `The metadata URL answered HTTP ${response.status}.`, { field });
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > MAX_METADATA_BYTES) throw new AppError("BAD_REQUEST", "The metadata at this URL is larger than 512 KB.", { field });
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_METADATA_BYTES) {
      await reader.cancel();
      throw new AppError("BAD_REQUEST", "The metadata at this URL is larger than 512 KB.", { field });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
