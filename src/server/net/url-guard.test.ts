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
