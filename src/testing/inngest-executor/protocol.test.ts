import { describe, expect, it } from "vitest";
import { cronMatches } from "./cron";
import { evaluateKey, matchesCondition } from "./expression";
import { canonicalJson, hashedSigningKey, signatureHeader, verifySignatureHeader } from "./signature";
import { parseTimeString, sleepDelayMs } from "./time-string";

describe("request signing (SDK spec §4.1.3, §4.1.4)", () => {
  it("hashes the signing key as the spec's example shows", () => {
    expect(hashedSigningKey("signkey-prod-12345678")).toBe("signkey-prod-b2ed992186a5cb19f6668aade821f502c1d00970dfd0e35128d51bac4649916c");
  });

  it("verifies its own signature, and refuses another key, another body and an old timestamp", () => {
    const key = "signkey-test-00112233";
    const now = Date.UTC(2026, 0, 1);
    const header = signatureHeader('{"a":1}', key, now);
    expect(verifySignatureHeader(header, '{"a":1}', key, now)).toBe(true);
    expect(verifySignatureHeader(header, '{"a":1}', "signkey-test-44556677", now)).toBe(false);
    expect(verifySignatureHeader(header, '{"a":2}', key, now)).toBe(false);
    expect(verifySignatureHeader(header, '{"a":1}', key, now + 6 * 60_000)).toBe(false);
    expect(verifySignatureHeader(null, '{"a":1}', key, now)).toBe(false);
  });

  it("canonicalises JSON as RFC 8785 does: sorted keys, no undefined members, ECMAScript numbers", () => {
    expect(canonicalJson({ b: [1, { d: 1e21, c: "é" }], a: undefined, "€": null, A: 1.5 })).toBe(
      '{"A":1.5,"b":[1,{"c":"é","d":1e+21}],"€":null}',
    );
  });
});

describe("time strings (SDK spec §1.3.2)", () => {
  it.each([
    ["3s", 3000],
    ["300ms", 300],
    ["2h45m", 9_900_000],
    ["1.5m", 90_000],
    ["1w", 604_800_000],
  ])("%s is %i ms", (text, ms) => expect(parseTimeString(text)).toBe(ms));

  it("refuses what is not one", () => {
    for (const bad of ["", "3", "3 s", "3x", "s3"]) expect(() => parseTimeString(bad)).toThrow(/time string/);
  });

  it("takes an ISO date for a sleep", () => {
    expect(sleepDelayMs("2026-01-01T00:00:10Z", Date.UTC(2026, 0, 1))).toBe(10_000);
  });
});

describe("expressions", () => {
  const event = { name: "x", data: { profileId: "p1", n: 2 } };
  it("evaluates key paths, and the equality the SDK writes for onFailure triggers", () => {
    expect(evaluateKey("event.data.profileId", event)).toBe("p1");
    expect(evaluateKey("event.data.n", event)).toBe("2");
    expect(evaluateKey("event.data.missing", event)).toBe("null");
    expect(matchesCondition("event.data.profileId == 'p1'", event)).toBe(true);
    expect(matchesCondition("event.data.profileId == 'p2'", event)).toBe(false);
    expect(matchesCondition(undefined, event)).toBe(true);
  });

  it("refuses the rest of CEL by name instead of guessing", () => {
    expect(() => evaluateKey("event.data.a + '-' + event.data.b", event)).toThrow(/Unsupported expression/);
    expect(() => matchesCondition("event.data.n > 1", event)).toThrow(/Unsupported trigger expression/);
  });
});

describe("cron (UTC)", () => {
  const at = new Date(Date.UTC(2026, 11, 7, 18, 30)); // a Monday
  it.each([
    ["* * * * *", true],
    ["30 18 * * *", true],
    ["*/15 * * * *", true],
    ["*/7 * * * *", false],
    ["0 0 * * *", false],
    ["30 18 * * 1", true],
    ["30 18 * * 0,6", false],
    ["0-29 * * * *", false],
  ])("%s fires at 18:30 on a Monday: %s", (schedule, expected) => expect(cronMatches(schedule, at)).toBe(expected));

  it("refuses what it does not understand", () => {
    expect(() => cronMatches("* * * *", at)).toThrow(/five fields/);
    expect(() => cronMatches("61 * * * *", at)).toThrow(/Unsupported cron field/);
  });
});
