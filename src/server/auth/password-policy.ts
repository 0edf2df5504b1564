import type { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/lib/validation/tenancy";
import { AppError } from "../errors";

/**
 * The password policy, after NIST SP 800-63B (5.1.1.2): a minimum length, a generous maximum, no
 * composition rules (no "one digit and one symbol"), and a check against passwords that are
 * common, breached or guessable. The last is zxcvbn-ts: its dictionaries hold the most common
 * leaked passwords and English words, names and Wikipedia terms, and it scores keyboard walks,
 * repeats, sequences, dates and l33t substitutions as an attacker's cracker would. Lengths count
 * code points, so a passphrase in any script is measured as its user sees it.
 *
 * This module runs on the server only (sign-up, invitations, the CLI): the dictionaries are a few
 * megabytes and stay out of the browser's bundle. The form checks the length alone.
 */

/** zxcvbn's score runs 0-4; 3 is "safely unguessable: moderate protection from offline slow-hash scenario". */
const MIN_SCORE = 3;

/** Parts of the name or email shorter than this are too weak a signal to refuse a password for. */
const MIN_PERSONAL_FRAGMENT = 4;

let estimator: Promise<ZxcvbnFactory> | undefined;

/**
 * Loaded on first use: the dictionaries take a moment to load that sign-in, and every CLI
 * command but tenant:create, never need to pay.
 */
function zxcvbn(): Promise<ZxcvbnFactory> {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common, english] = await Promise.all([
      import("@zxcvbn-ts/core"),
      import("@zxcvbn-ts/language-common"),
      import("@zxcvbn-ts/language-en"),
    ]);
    return new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...english.dictionary },
      graphs: common.adjacencyGraphs,
      translations: english.translations,
    });
  })().catch((error: unknown) => {
    estimator = undefined;
    throw error;
  });
  return estimator;
}

export type PasswordOwner = { email: string; name?: string | null };

/** Lower-cased words of the owner's email and name that a password must not contain. */
function personalFragments(owner: PasswordOwner): string[] {
  const localPart = owner.email.trim().toLowerCase().split("@")[0] ?? "";
  const name = (owner.name ?? "").trim().toLowerCase();
  const words = [localPart, ...localPart.split(/[^\p{L}\p{N}]+/u), name, ...name.split(/[^\p{L}\p{N}]+/u)];
  return [...new Set(words)].filter((word) => [...word].length >= MIN_PERSONAL_FRAGMENT);
}

/** Why `password` is refused for this account, written for the person choosing it; null when it is acceptable. */
export async function passwordProblem(password: string, owner: PasswordOwner): Promise<string | null> {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  if (password.trim() === "") return "A password cannot be only spaces.";
  const lowered = password.toLowerCase();
  if (personalFragments(owner).some((fragment) => lowered.includes(fragment))) {
    return "Do not use your name or email address in your password.";
  }
  const { score, feedback } = (await zxcvbn()).check(password, [owner.email, owner.name ?? ""].filter(Boolean));
  if (score < MIN_SCORE) {
    const why = feedback.warning ? `${feedback.warning} ` : "";
    return `This password is too easy to guess. ${why}Use a longer phrase of unrelated words.`;
  }
  return null;
}

/** Throws the form error (under the password field) when `password` does not meet the policy. */
export async function assertAcceptablePassword(password: string, owner: PasswordOwner): Promise<void> {
  const problem = await passwordProblem(password, owner);
  if (problem) throw new AppError("BAD_REQUEST", problem, { field: "password" });
}
