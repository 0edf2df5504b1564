import { CREDENTIALS_MISMATCH } from "@/lib/sign-in-errors";
import { db } from "../db";
import { AppError, isUniqueViolation } from "../errors";
import { hashPassword } from "../auth/password";
import { assertAcceptablePassword } from "../auth/password-policy";
import {
  UNKNOWN_ORIGIN,
  findCredentials,
  normalizeEmail,
  passwordMatches,
  type AccountSummary,
  type RequestOrigin,
} from "../auth/password-sign-in";
import { throttledAttempt } from "../auth/sign-in-throttle";
import { acceptInvitation, describeInvitation } from "./invitations";
import { createTenantWithOwner } from "./tenants";

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
    const existing = await findCredentials(email);
    // Both paths pay for one hash and one verification: the answer's timing says nothing.
    const [passwordHash, matches] = await Promise.all([
      hashPassword(options.password),
      passwordMatches(options.password, existing?.passwordHash),
    ]);
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
    const existing = await findCredentials(invitation.email);
    const [passwordHash, matches] = await Promise.all([
      hashPassword(options.password),
      passwordMatches(options.password, existing?.passwordHash),
    ]);
    let accountId: string;
    if (existing) {
      if (!matches) return null;
      accountId = existing.id;
    } else {
      try {
        ({ id: accountId } = await db().account.create({
          data: { email: invitation.email, name: options.name, passwordHash },
          select: { id: true },
        }));
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
