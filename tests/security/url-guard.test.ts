/**
 * Issue 13, item 9: the outbound URL guard and IPv6 addresses that carry an IPv4 address. 6to4,
 * Teredo, NAT64 and IPv4-compatible addresses reach the IPv4 address they embed, so they are judged
 * by it: a private, loopback or metadata address behind one of these prefixes is refused like the
 * address itself, at saving (the URL) and on every connection (the guarded lookup and agents).
 */
import http from "node:http";
import { describe, expect, it } from "vitest";
import { guardedAgents } from "@/server/net/guarded-agents";
import { checkTargetUrl, checkUrlSyntax } from "@/server/net/url-guard";

/** [address, what it reaches, refused?] */
const EMBEDDED: [string, string, boolean][] = [
  // 6to4 (2002::/16): the IPv4 address is bits 16–48.
  ["2002:7f00:1::1", "6to4 of 127.0.0.1", true],
  ["2002:a9fe:a9fe::1", "6to4 of 169.254.169.254 (cloud metadata)", true],
  ["2002:a00:1::", "6to4 of 10.0.0.1", true],
  ["2002:c0a8:101:1::1", "6to4 of 192.168.1.1", true],
  ["2002:808:808::1", "6to4 of 8.8.8.8", false],
  // Teredo (2001::/32): server IPv4 in bits 32–63, client IPv4 XOR 0xffffffff in the last 32 bits.
  ["2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo, client 127.0.0.1", true],
  ["2001:0:4136:e378:8000:63bf:5601:5601", "Teredo, client 169.254.169.254", true],
  ["2001::4136:e378:8000:63bf:f5ff:fffe", "Teredo, client 10.0.0.1", true],
  ["2001:0:a00:1:8000:63bf:f7f7:f7f7", "Teredo, server 10.0.0.1", true],
  ["2001:0:4136:e378:8000:63bf:f7f7:f7f7", "Teredo, client 8.8.8.8 via 65.54.227.120", false],
  // NAT64 well-known prefix (64:ff9b::/96) and the local-use prefix (64:ff9b:1::/48, refused outright).
  ["64:ff9b::7f00:1", "NAT64 of 127.0.0.1", true],
  ["64:ff9b::a9fe:a9fe", "NAT64 of 169.254.169.254", true],
  ["64:ff9b::10.0.0.1", "NAT64 of 10.0.0.1, dotted", true],
  ["64:ff9b::808:808", "NAT64 of 8.8.8.8", false],
  ["64:ff9b:1::a00:1", "local-use NAT64", true],
  ["64:ff9b:1::808:808", "local-use NAT64 of a public address", true],
  // IPv4-compatible (::a.b.c.d, deprecated) and IPv4-translated (::ffff:0:a.b.c.d).
  ["::127.0.0.1", "IPv4-compatible 127.0.0.1", true],
  ["::a9fe:a9fe", "IPv4-compatible 169.254.169.254", true],
  ["::ffff:0:7f00:1", "IPv4-translated 127.0.0.1", true],
];

describe("URL guard: IPv6 addresses that embed an IPv4 address", () => {
  it.each(EMBEDDED)("https://[%s]/scim (%s) → refused %s", async (address, _what, refused) => {
    const url = `https://[${address}]/scim/v2`;
    expect(checkUrlSyntax(url, false).ok).toBe(!refused);
    expect((await checkTargetUrl(url, { allowPrivate: false })).ok).toBe(!refused);
  });

  it.each(EMBEDDED.filter(([, , refused]) => refused))("a connection to %s (%s) is refused before it is made", async (address) => {
    const { http: agent } = guardedAgents(false);
    const error = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
      const request = http.get({ host: address, port: 80, path: "/", agent }, () => reject(new Error("connected")));
      request.on("error", resolve);
    });
    agent.destroy();
    expect(error.message).toMatch(/blocked address/);
  });
});

describe("URL guard: IPv6 outside global unicast", () => {
  it.each([
    ["100::1", "discard prefix"],
    ["fec0::1", "deprecated site-local"],
    ["2001:2::1", "benchmarking"],
    ["2001:10::1", "ORCHID"],
    ["3fff::1", "documentation (RFC 9637)"],
    ["4000::1", "unassigned"],
  ])("https://[%s]/ (%s) is refused", (address) => {
    expect(checkUrlSyntax(`https://[${address}]/scim`, false).ok).toBe(false);
  });

  it.each(["2606:4700::1111", "2a00:1450:4001:81b::200e"])("https://[%s]/ (public) passes", (address) => {
    expect(checkUrlSyntax(`https://[${address}]/scim`, false).ok).toBe(true);
  });
});
