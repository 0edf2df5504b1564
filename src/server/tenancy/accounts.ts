import { CREDENTIALS_MISMATCH } from "@/lib/sign-in-errors";
import { zEmail } from "@/lib/validation/tenancy";
import { db } from "../db";
import { AppError, isUniqueViolation } from "../errors";
import { hashPassword, verifyPassword } from "../auth/password";
import { assertAcceptablePassword } from "../auth/password-policy";
import { throttledAttempt } from "../auth/sign-in-throttle";
import { acceptInvitation, describeInvitation } from "./invitations";
import { createTenantWithOwner } from "./tenants";

export type AccountSummary = { id: string; email: string; name: string };

/** Where a request came from, for the sign-in throttle (null when unknown, e.g. the CLI or tests). */
export type RequestOrigin = { clientAddress: string | null };

const UNKNOWN_ORIGIN: RequestOrigin = { clientAddress: null };

/**
 * Sign-up and an email that already has an account. The console sends no email, so it cannot
 * prove who owns an address; whatever sign-up answers for a taken email tells the person typing
 * that the email has an account (a new email always gets a new account). What we can do is make
 * sign-up no better an oracle than sign-in, which answers the same for unknown emails and wrong
 * passwords and is throttled:
 *
 * - with the account's own password, sign-up is a sign-in: the new organisation is created for
 *   that account (or the invitation accepted), and the form signs it in;
 * - with any other password, it answers exactly what a failed sign-in answers, and the attempt
 *   counts against the email and the client address in the same throttle as sign-in;
 * - the slug is checked first either way, and both paths hash and verify once each, so neither
 *   the answer nor its timing differs between "taken email, wrong password" and anything a
 *   sign-in would show.
 *
 * So learning that an email has an account through sign-up costs a throttled password guess,
 * as it does through sign-in, and no message says "this email already has an account".
 */
class WrongPassword extends Error {}

/** Sign-up: an account (or the existing one, given its password) and a new tenant that it owns. */
export async function signUp(
  options: { email: string; password: string; name: string; tenant: { slug: string; name: string } },
  origin: RequestOrigin = UNKNOWN_ORIGIN,
): Promise<{ account: AccountSummary; tenantSlug: string }> {
  const email = normalizeEmail(options.email);
  await assertAcceptablePassword(options.password, { email, name: options.name });
  const result = await throttledAttempt({ email, clientAddress: origin.clientAddress }, async () => {
    const existing = await findAccount(email);
    // Both paths pay for one hash and one verification: the answer's timing says nothing.
    const [passwordHash, matches] = await Promise.all([hashPassword(options.password), verifyPassword(options.password, existing?.passwordHash ?? DUMMY_HASH)]);
    try {
      return await db().$transaction(async (tx) => {
        const account = existing
          ? { id: existing.id, email: existing.email, name: existing.name }
          : await tx.account.create({ data: { email, name: options.name, passwordHash }, select: { id: true, email: true, name: true } });
        const tenant = await createTenantWithOwner(tx, { ...options.tenant, ownerAccountId: account.id });
        // After the slug check, so that a taken slug is reported the same whether the email is known or not.
        if (existing && !matches) throw new WrongPassword();
        return { account, tenantSlug: tenant.slug };
      });
    } catch (error) {
      // A concurrent sign-up took the email between our look-up and the insert: its password is not proven.
      if (error instanceof WrongPassword || isUniqueViolation(error)) return null;
      throw error;
    }
  });
  if (!result) throw new AppError("UNAUTHORIZED", CREDENTIALS_MISMATCH);
  return result;
}

/**
 * Sign-up from an invitation link: the account takes the invited email and joins that tenant
 * instead of creating one. When the email already has an account, its password accepts the
 * invitation for it; any other password gets the answer of a failed sign-in (see signUp).
 */
export async function signUpWithInvitation(
  options: { token: string; password: string; name: string },
  origin: RequestOrigin = UNKNOWN_ORIGIN,
): Promise<{ email: string; tenantSlug: string }> {
  const invitation = await describeInvitation(options.token);
  await assertAcceptablePassword(options.password, { email: invitation.email, name: options.name });
  const result = await throttledAttempt({ email: invitation.email, clientAddress: origin.clientAddress }, async () => {
    const existing = await findAccount(invitation.email);
    const [passwordHash, matches] = await Promise.all([hashPassword(options.password), verifyPassword(options.password, existing?.passwordHash ?? DUMMY_HASH)]);
    let accountId: string;
    if (existing) {
      if (!matches) return null;
      accountId = existing.id;
    } else {
      try {
        ({ id: accountId } = await db().account.create({ data: { email: invitation.email, name: options.name, passwordHash }, select: { id: true } }));
      } catch (error) {
        if (isUniqueViolation(error)) return null;
        throw error;
      }
    }
    return acceptInvitation({ token: options.token, accountId });
  });
  if (!result) throw new AppError("UNAUTHORIZED", CREDENTIALS_MISMATCH);
  return { email: invitation.email, tenantSlug: result.tenantSlug };
}

/**
 * Sign-in with email and password, under the throttle: the account, null for an unknown email or
 * a wrong password (told apart by nothing, timing included), or AppError TOO_MANY_REQUESTS while
 * the email or the client's address is locked.
 */
export async function signInWithPassword(email: string, password: string, origin: RequestOrigin = UNKNOWN_ORIGIN): Promise<AccountSummary | null> {
  const parsed = zEmail.safeParse(email);
  // Text that is no email cannot name an account: it counts against the address alone.
  const source = { email: parsed.success ? parsed.data : null, clientAddress: origin.clientAddress };
  return throttledAttempt(source, () => authenticate(email, password));
}

/** The account for these credentials, or null. Runs the hash even for unknown emails (timing). */
async function authenticate(email: string, password: string): Promise<AccountSummary | null> {
  // Longer than any password the policy allows: refused without hashing megabytes.
  if (password.length > MAX_PASSWORD_UNITS) return null;
  const account = await findAccount(normalizeEmail(email));
  const ok = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
  return account && ok ? { id: account.id, email: account.email, name: account.name } : null;
}

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function findAccount(email: string) {
  return db().account.findUnique({ where: { email }, select: { id: true, email: true, name: true, passwordHash: true } });
}

/** Passwords were at most 200 UTF-16 units before the policy and are at most 128 code points (256 units) since. */
const MAX_PASSWORD_UNITS = 256;

const DUMMY_HASH = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
