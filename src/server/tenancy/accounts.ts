import { db } from "../db";
import { AppError, isUniqueViolation } from "../errors";
import { hashPassword, verifyPassword } from "../auth/password";
import { acceptInvitation, describeInvitation } from "./invitations";
import { createTenantWithOwner } from "./tenants";

export type AccountSummary = { id: string; email: string; name: string };

/** Sign-up: the account and its first tenant, of which it is the owner. */
export async function signUp(options: {
  email: string;
  password: string;
  name: string;
  tenant: { slug: string; name: string };
}): Promise<{ account: AccountSummary; tenantSlug: string }> {
  const passwordHash = await hashPassword(options.password);
  try {
    return await db().$transaction(async (tx) => {
      const account = await tx.account.create({
        data: { email: options.email.trim().toLowerCase(), name: options.name, passwordHash },
        select: { id: true, email: true, name: true },
      });
      const tenant = await createTenantWithOwner(tx, { ...options.tenant, ownerAccountId: account.id });
      return { account, tenantSlug: tenant.slug };
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", "An account with this email already exists. Sign in instead.", { field: "email" });
    }
    throw error;
  }
}

/**
 * Sign-up from an invitation link: the account takes the invited email and joins that tenant
 * instead of creating one.
 */
export async function signUpWithInvitation(options: { token: string; password: string; name: string }): Promise<{ email: string; tenantSlug: string }> {
  const invitation = await describeInvitation(options.token);
  const passwordHash = await hashPassword(options.password);
  let accountId: string;
  try {
    ({ id: accountId } = await db().account.create({ data: { email: invitation.email, name: options.name, passwordHash }, select: { id: true } }));
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", `An account for ${invitation.email} already exists. Sign in to accept.`);
    throw error;
  }
  const { tenantSlug } = await acceptInvitation({ token: options.token, accountId });
  return { email: invitation.email, tenantSlug };
}

/** The account for these credentials, or null. Runs the hash even for unknown emails (timing). */
export async function authenticate(email: string, password: string): Promise<AccountSummary | null> {
  const account = await db().account.findUnique({ where: { email: email.trim().toLowerCase() } });
  const ok = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
  return account && ok ? { id: account.id, email: account.email, name: account.name } : null;
}

const DUMMY_HASH = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
