import { beforeAll, describe, expect, it } from "vitest";
import { zPassword } from "@/lib/validation/tenancy";
import { passwordProblem } from "@/server/auth/password-policy";

/**
 * Issue 13 item 5: the password policy (NIST SP 800-63B): at least 12 and at most 128 code points,
 * no composition rules, and nothing common, breached, guessable or personal (zxcvbn-ts score >= 3).
 * The issue's examples were accepted before: ten spaces, `password12`, `aaaaaaaaaa`.
 */
const owner = { email: "jane.doe@example.com", name: "Olivia Owner" };

const refused: Array<[string, string, RegExp]> = [
  ["ten spaces (the issue's example)", " ".repeat(10), /at least 12/],
  ["`password12` (the issue's example)", "password12", /at least 12/],
  ["`aaaaaaaaaa` (the issue's example)", "aaaaaaaaaa", /at least 12/],
  ["eleven characters", "mauve kettl", /at least 12/],
  ["eleven emoji: short in code points though 22 UTF-16 units", "🦊🌲🍄🌙🐝🍯🌊🚲🎻🐢🌵", /at least 12/],
  ["129 code points", "mauve kettle drifts north ".repeat(5) + "abcd", /at most 128/],
  ["twelve spaces", " ".repeat(12), /only spaces/],
  ["twelve tabs and newlines", "\t\n".repeat(6), /only spaces/],
  ["a repeated character", "aaaaaaaaaaaa", /too easy to guess/],
  ["a common password with digits", "password1234", /too easy to guess/],
  ["a common password with composition", "P@ssw0rd2024!", /too easy to guess/],
  ["a keyboard walk", "qwertyuiopas", /too easy to guess/],
  ["a sequence", "abcdefghijkl", /too easy to guess/],
  ["digits in a row", "1234567890123", /too easy to guess/],
  ["a repeated pattern", "trustno1trustno1", /too easy to guess/],
  ["a common phrase with a year", "iloveyou2024", /too easy to guess/],
  ["the email's local part", "jane.doe-forever-42", /name or email/],
  ["the name", "Olivia Owner rocks 42", /name or email/],
  ["part of the name, in another case", "my OLIVIA pass phrase", /name or email/],
];

const accepted: Array<[string, string]> = [
  ["a passphrase of unrelated words", "mauve kettle drifts north"],
  ["the same without spaces (no composition rules)", "correcthorsebatterystaple"],
  ["a passphrase in Cyrillic", "пароль мост река кот"],
  ["exactly 128 code points", "mauve kettle drifts north ".repeat(4) + "x".repeat(24)],
];

describe("password policy", () => {
  // The first check loads zxcvbn's dictionaries (a few megabytes): once, outside any case's time limit.
  beforeAll(() => passwordProblem("load the dictionaries", owner), 120_000);

  it.each(refused)("refuses %s", async (_name, password, message) => {
    expect(await passwordProblem(password, owner)).toMatch(message);
  });

  it.each(accepted)("accepts %s", async (_name, password) => {
    expect(await passwordProblem(password, owner)).toBeNull();
  });

  it("the form's schema checks the length in code points, as the server does", () => {
    expect(zPassword.safeParse("password12").success).toBe(false);
    expect(zPassword.safeParse("🦊🌲🍄🌙🐝🍯🌊🚲🎻🐢🌵").success).toBe(false);
    expect(zPassword.safeParse("🦊🌲🍄🌙🐝🍯🌊🚲🎻🐢🌵🐙").success).toBe(true);
    expect(zPassword.safeParse("x".repeat(129)).success).toBe(false);
    expect(zPassword.safeParse("x".repeat(100_000)).error?.issues).toHaveLength(1);
  });
});
