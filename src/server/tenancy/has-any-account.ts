import { db } from "../db";

/**
 * Whether anyone has signed up on this installation: before the first account, `/` sends the
 * visitor to sign-up rather than to a sign-in nobody can pass. It says nothing about any email.
 */
export async function hasAnyAccount(): Promise<boolean> {
  return (await db().account.findFirst({ select: { id: true } })) !== null;
}
