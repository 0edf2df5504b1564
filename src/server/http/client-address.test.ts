import { describe, expect, it } from "vitest";
import { clientAddressFrom } from "./client-address";

describe("clientAddressFrom", () => {
  it.each([
    // [X-Forwarded-For as the server passes it on, trusted proxies, client address]
    ["203.0.113.9", 0, "203.0.113.9"],
    ["6.6.6.6, 203.0.113.9", 0, "203.0.113.9"], // a forged entry is ignored without a trusted proxy
    ["198.51.100.7, 10.0.0.2", 1, "198.51.100.7"], // the proxy at 10.0.0.2 saw 198.51.100.7
    ["6.6.6.6, 198.51.100.7, 10.0.0.2", 1, "198.51.100.7"], // the client's forged entry stays ignored
    ["198.51.100.7, 10.0.0.2", 5, "198.51.100.7"], // fewer hops than trusted: the first one
    ["", 0, null],
    [null, 0, null],
    [" , ::1 ", 0, "::1"],
  ] as const)("%j with %i trusted proxies → %j", (header, trusted, expected) => {
    expect(clientAddressFrom(header, trusted)).toBe(expected);
  });
});
