import { describe, expect, it } from "vitest";
import { checkTargetUrl, checkUrlSyntax, isBlockedAddress } from "./url-guard";

describe("isBlockedAddress", () => {
  it.each([
    ["127.0.0.1", true],
    ["10.1.2.3", true],
    ["172.16.0.1", true],
    ["172.31.255.255", true],
    ["172.32.0.1", false],
    ["192.168.1.1", true],
    ["169.254.169.254", true],
    ["100.64.0.1", true],
    ["0.0.0.0", true],
    ["224.0.0.1", true],
    ["8.8.8.8", false],
    ["52.1.2.3", false],
    ["::1", true],
    ["::", true],
    ["fe80::1", true],
    ["fd00::1", true],
    ["::ffff:127.0.0.1", true],
    ["::ffff:10.0.0.1", true],
    ["::ffff:8.8.8.8", false],
    ["2001:db8::1", true],
    ["2606:4700::1111", false],
    // IPv6 that carries an IPv4 address is judged by it.
    ["2002:7f00:1::1", true], // 6to4 of 127.0.0.1
    ["2002:a9fe:a9fe::", true], // 6to4 of 169.254.169.254
    ["2002:808:808::1", false], // 6to4 of 8.8.8.8
    ["2001:0:4136:e378:8000:63bf:80ff:fffe", true], // Teredo, client 127.0.0.1
    ["2001:0:a00:1:8000:63bf:f7f7:f7f7", true], // Teredo, server 10.0.0.1
    ["2001:0:4136:e378:8000:63bf:f7f7:f7f7", false], // Teredo, 8.8.8.8 via 65.54.227.120
    ["64:ff9b::a9fe:a9fe", true], // NAT64 of 169.254.169.254
    ["64:ff9b::8.8.8.8", false], // NAT64 of 8.8.8.8
    ["64:ff9b:1::808:808", true], // local-use NAT64: refused whatever it carries
    ["::10.0.0.1", true], // IPv4-compatible
    ["::8.8.8.8", false],
    // Outside global unicast, or special-purpose inside it.
    ["::ffff:0:7f00:1", true], // IPv4-translated
    ["100::1", true], // discard
    ["fec0::1", true], // site-local
    ["2001:2::1", true], // benchmarking
    ["3fff::1", true], // documentation
    ["not-an-ip", true],
  ])("%s → blocked %s", (address, blocked) => {
    expect(isBlockedAddress(address)).toBe(blocked);
  });
});

describe("checkUrlSyntax", () => {
  it.each([
    ["https://adb-1.azuredatabricks.net/api/2.0/preview/scim/v2", false, true],
    ["http://adb-1.azuredatabricks.net/api/2.0/preview/scim/v2", false, false],
    ["http://127.0.0.1:8080/scim", true, true],
    ["https://127.0.0.1/scim", false, false],
    ["https://[::1]/scim", false, false],
    ["https://localhost/scim", false, false],
    ["https://user:pass@example.com/scim", false, false],
    ["ftp://example.com/scim", true, false],
    ["not a url", true, false],
  ])("%s (allow private %s) → ok %s", (url, allowPrivate, ok) => {
    expect(checkUrlSyntax(url, allowPrivate).ok).toBe(ok);
  });

  it("rejects hosts that resolve to loopback when private targets are not allowed", async () => {
    expect((await checkTargetUrl("https://localhost.localdomain.invalid/scim", { allowPrivate: false })).ok).toBe(true);
    expect((await checkTargetUrl("https://127.0.0.1.nip.io.invalid/scim", { allowPrivate: false })).ok).toBe(true);
    expect((await checkTargetUrl("https://10.0.0.5/scim", { allowPrivate: false })).ok).toBe(false);
  });
});
