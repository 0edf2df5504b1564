import { describe, expect, it } from "vitest";
import { REDACTED, redactSecrets } from "./redact";

describe("redactSecrets", () => {
  it.each([
    [{ token: "dapi123" }, { token: REDACTED }],
    [
      { Token: "x", name: "n" },
      { Token: REDACTED, name: "n" },
    ],
    [
      { nested: { clientSecret: "s", list: [{ password: "p", keep: 1 }] } },
      { nested: { clientSecret: REDACTED, list: [{ password: REDACTED, keep: 1 }] } },
    ],
    [
      { token: null, tokenHash: "" },
      { token: null, tokenHash: "" },
    ],
    [
      { at: new Date("2026-01-02T03:04:05Z"), n: 5n, gone: undefined },
      { at: "2026-01-02T03:04:05.000Z", n: "5" },
    ],
    [null, null],
    ["plain", "plain"],
  ])("case %#", (input, expected) => {
    expect(redactSecrets(input)).toEqual(expected);
  });
});
