/**
 * The URL guard (SSRF), shared by every place the server calls a URL an admin typed (SCIM Export
 * targets, SSO metadata and OpenID discovery URLs): it refuses
 * private, loopback, link-local and other non-public addresses, and plain http, unless
 * ALLOW_PRIVATE_TARGETS=true (tests and on-premise setups). The check runs on the URL when it is
 * saved and again on every connection (the SCIM client's `guardedLookup`, and Node's default
 * agents for Jackson's OpenID Connect requests: guarded-agents.ts), so a DNS answer that changes
 * after saving (rebinding) is refused too. IPv6 is allowed only in global unicast (2000::/3), and
 * an IPv6 address that tunnels or translates to IPv4 (IPv4-mapped and -compatible, NAT64, 6to4,
 * Teredo) is judged by the IPv4 address it carries.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { promises as dns } from "node:dns";
import net from "node:net";
import { allowPrivateTargets } from "../env";

export type UrlCheck = { ok: true; url: URL } | { ok: false; message: string };

function ipv4ToInt(ip: string): number {
  return ip.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

const V4_BLOCKED: [string, number][] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];

function inV4Range(ip: string, base: string, bits: number): boolean {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (ipv4ToInt(ip) & mask) >>> 0 === (ipv4ToInt(base) & mask) >>> 0;
}

function expandV6(ip: string): number[] | null {
  let text = ip.toLowerCase();
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipv4ToInt(v4[1]!);
    text = text.slice(0, -v4[1]!.length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const headParts = head ? head.split(":") : [];
  const tailParts = tail ? tail.split(":") : [];
  const missing = 8 - headParts.length - tailParts.length;
  if (tail === undefined && headParts.length !== 8) return null;
  const parts = [...headParts, ...Array(Math.max(0, missing)).fill("0"), ...tailParts].map((p) => parseInt(p || "0", 16));
  return parts.length === 8 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 0xffff) ? parts : null;
}

const v4Of = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;

/**
 * The IPv4 addresses an IPv6 address delivers to, for the prefixes that tunnel or translate to
 * IPv4: a packet to one of them ends at the embedded address, so that address is what is judged.
 * Null when the address embeds none.
 */
function embeddedIpv4(p: number[]): string[] | null {
  // IPv4-mapped ::ffff:a.b.c.d and IPv4-compatible ::a.b.c.d (deprecated, RFC 4291 §2.5.5).
  if (p.slice(0, 5).every((x) => x === 0) && (p[5] === 0xffff || p[5] === 0)) return [v4Of(p[6]!, p[7]!)];
  // NAT64 well-known prefix 64:ff9b::/96 (RFC 6052).
  if (p[0] === 0x64 && p[1] === 0xff9b && p.slice(2, 6).every((x) => x === 0)) return [v4Of(p[6]!, p[7]!)];
  // 6to4 2002::/16 (RFC 3056): the IPv4 address is bits 16–47.
  if (p[0] === 0x2002) return [v4Of(p[1]!, p[2]!)];
  // Teredo 2001::/32 (RFC 4380): the server in bits 32–63, the client inverted in the last 32 bits.
  if (p[0] === 0x2001 && p[1] === 0) return [v4Of(p[2]!, p[3]!), v4Of(p[6]! ^ 0xffff, p[7]! ^ 0xffff)];
  return null;
}

/** True for any address that is not a public unicast address. Unknown syntax counts as blocked. */
export function isBlockedAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return V4_BLOCKED.some(([base, bits]) => inV4Range(address, base, bits)) || address === "255.255.255.255";
  if (family === 6) {
    const p = expandV6(address);
    if (!p) return true;
    if (p.slice(0, 7).every((x) => x === 0) && p[7]! <= 1) return true; // :: and ::1
    const embedded = embeddedIpv4(p);
    if (embedded) return embedded.some(isBlockedAddress);
    // Only global unicast (2000::/3) is public: this refuses unique local, link-local, site-local,
    // multicast, the discard prefix, IPv4-translated ::ffff:0:a.b.c.d, local-use NAT64
    // 64:ff9b:1::/48 and the rest of the NAT64 /32, and whatever is not assigned yet.
    if ((p[0]! & 0xe000) !== 0x2000) return true;
    if (p[0] === 0x2001 && p[1]! < 0x200) return true; // 2001::/23 IETF protocol assignments (benchmarking, ORCHID…)
    if (p[0] === 0x2001 && p[1] === 0x0db8) return true; // documentation
    if (p[0] === 0x3fff && p[1]! < 0x1000) return true; // 3fff::/20 documentation (RFC 9637)
    return false;
  }
  return true;
}

/** The syntactic part of the check (no DNS): scheme, credentials, literal addresses. */
export function checkUrlSyntax(text: string, allowPrivate: boolean): UrlCheck {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: "This is not a valid URL." };
  }
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) {
    return {
      ok: false,
      message:
        url.protocol === "http:" ? "Use https: plain http would send the Secret Token unencrypted." : "The URL must start with https://.",
    };
  }
  if (url.username || url.password)
    return { ok: false, message: "Remove the user name and password from the URL: the Secret Token is the credential." };
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!allowPrivate) {
    if (net.isIP(host) && isBlockedAddress(host))
      return { ok: false, message: "This address is private, loopback or link-local: the console cannot call it." };
    if (/^(localhost|.*\.localhost|.*\.local|.*\.internal)$/i.test(host))
      return { ok: false, message: "This host name is local: the console cannot call it." };
  }
  return { ok: true, url };
}

/** The full check: syntax, then every address the host name resolves to. */
export async function checkTargetUrl(text: string, options: { allowPrivate?: boolean } = {}): Promise<UrlCheck> {
  const allowPrivate = options.allowPrivate ?? allowPrivateTargets();
  const syntax = checkUrlSyntax(text, allowPrivate);
  if (!syntax.ok || allowPrivate) return syntax;
  const host = syntax.url.hostname.replace(/^\[|\]$/g, "");
  if (net.isIP(host)) return syntax;
  let addresses: { address: string }[];
  try {
    addresses = await dns.lookup(host, { all: true, verbatim: true });
  } catch {
    // Unresolvable now: saving is allowed, the connection test reports "unreachable".
    return syntax;
  }
  if (addresses.some((a) => isBlockedAddress(a.address))) {
    return { ok: false, message: `${host} resolves to a private, loopback or link-local address: the console cannot call it.` };
  }
  return syntax;
}

export class BlockedAddressError extends Error {
  readonly code = "EBLOCKED";
}

/**
 * A `lookup` for http(s).request that refuses blocked addresses at connection time.
 */
export function guardedLookup(allowPrivate: boolean): net.LookupFunction {
  return ((
    hostname: string,
    options: object,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    dnsLookup(hostname, { ...(options as object), all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      if (!allowPrivate && list.some((a) => isBlockedAddress(a.address))) {
        return callback(new BlockedAddressError(`${hostname} resolves to a blocked address`), []);
      }
      if ((options as { all?: boolean }).all) return callback(null, list);
      const first = list[0]!;
      callback(null, first.address, first.family);
    });
  }) as net.LookupFunction;
}
