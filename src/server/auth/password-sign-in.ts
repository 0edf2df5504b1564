import { zEmail } from "@/lib/validation/tenancy";
import { db } from "../db";
import { AppError } from "../errors";
import { metrics } from "../observability/metrics";
import { verifyPassword } from "./password";
import { throttledAttempt } from "./sign-in-throttle";

export type AccountSummary = { id: string; email: string; name: string };

/** Where a request came from, for the sign-in throttle (null when unknown, e.g. the CLI or tests). */
export type RequestOrigin = { clientAddress: string | null };

export const UNKNOWN_ORIGIN: RequestOrigin = { clientAddress: null };

/** Passwords were at most 200 UTF-16 units before the policy and are at most 128 code points (256 units) since. */
const MAX_PASSWORD_UNITS = 256;

/** Verified in place of a missing account's hash, so an unknown email costs what a wrong password does. */
const DUMMY_HASH = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

/** Emails are stored trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The account with this (normalized) email and its password hash, or null. */
export function findCredentials(email: string) {
  return db().account.findUnique({ where: { email }, select: { id: true, email: true, name: true, passwordHash: true } });
}

/** Whether `password` matches the stored hash; with no account, a dummy hash is verified all the same (timing). */
export function passwordMatches(password: string, storedHash: string | undefined): Promise<boolean> {
  return verifyPassword(password, storedHash ?? DUMMY_HASH);
}

/**
 * Sign-in with email and password, under the throttle: the account, null for an unknown email or
 * a wrong password (told apart by nothing, timing included), or AppError TOO_MANY_REQUESTS while
 * the email or the client's address is locked.
 */
export async function signInWithPassword(
  email: string,
  password: string,
  origin: RequestOrigin = UNKNOWN_ORIGIN,
): Promise<AccountSummary | null> {
  const parsed = zEmail.safeParse(email);
  // Text that is no email cannot name an account: it counts against the address alone.
  const source = { email: parsed.success ? parsed.data : null, clientAddress: origin.clientAddress };
  try {
    const account = await throttledAttempt(source, () => authenticate(email, password));
    metrics().signIns.inc({ mode: "CONSOLE", outcome: account ? "SUCCESS" : "REFUSED" });
    return account;
  } catch (error) {
    if (error instanceof AppError && error.code === "TOO_MANY_REQUESTS") metrics().signIns.inc({ mode: "CONSOLE", outcome: "THROTTLED" });
    throw error;
  }
}

/** The account for these credentials, or null. Runs the hash even for unknown emails (timing). */
async function authenticate(email: string, password: string): Promise<AccountSummary | null> {
  // Longer than any password the policy allows: refused without hashing megabytes.
  if (password.length > MAX_PASSWORD_UNITS) return null;
  const account = await findCredentials(normalizeEmail(email));
  const ok = await passwordMatches(password, account?.passwordHash);
  return account && ok ? { id: account.id, email: account.email, name: account.name } : null;
}
