import { describe, expect, it } from "vitest";
import { certificateBadge, certificateExpiry } from "./certificate-expiry";

const now = new Date("2026-12-07T12:00:00Z");
const inDays = (d: number) => new Date(now.getTime() + d * 24 * 3600 * 1000);

describe("certificateExpiry", () => {
  it.each([
    [null, null, null],
    [inDays(-1), { state: "expired" }, "Certificate expired"],
    [now, { state: "expired" }, "Certificate expired"],
    [inDays(0.5), { state: "expiring", daysLeft: 1 }, "Certificate expires in 1 day"],
    [inDays(29.5), { state: "expiring", daysLeft: 30 }, "Certificate expires in 30 days"],
    [inDays(30), { state: "valid" }, null],
    [inDays(400), { state: "valid" }, null],
  ])("%s", (expiresAt, expiry, badge) => {
    expect(certificateExpiry(expiresAt, now)).toEqual(expiry);
    expect(certificateBadge(certificateExpiry(expiresAt, now))).toBe(badge);
  });

  it("reads the ISO strings tRPC sends", () => {
    expect(certificateExpiry(inDays(10).toISOString(), now)).toEqual({ state: "expiring", daysLeft: 10 });
  });
});
