/**
 * Console callers for integration tests: people signed up through the real sign-up, calling the
 * real tRPC router with the session the console would hold.
 */
import type { Role } from "@/generated/prisma/enums";
import type { ConsoleSession } from "../../server/auth/options";
import { db } from "../../server/db";
import { unique } from "./directory";
import { signUp } from "../../server/tenancy/accounts";
import { createCaller } from "../../server/trpc/router";

const PASSWORD = "correct horse battery";

export type TestCaller = ReturnType<typeof createCaller>;

/** Someone who signed up with a tenant of their own (slug "own-…"), member of nothing else. */
export async function newAccount(name = "Person") {
  const email = `${unique(name.toLowerCase())}@example.com`;
  const { account } = await signUp({ email, password: PASSWORD, name, tenant: { slug: unique("own"), name: "Own" } });
  const session: ConsoleSession = { accountId: account.id, email, name };
  return { email, accountId: account.id, session, caller: createCaller({ session }) };
}

/** The owner of a new tenant "Acme", with the tenant's slug and id. */
export async function newOwner() {
  const slug = unique("t");
  const email = `${unique("owner")}@example.com`;
  const { account } = await signUp({ email, password: PASSWORD, name: "Owner", tenant: { slug, name: "Acme" } });
  const tenant = await db().tenant.findUniqueOrThrow({ where: { slug }, select: { id: true } });
  const session: ConsoleSession = { accountId: account.id, email, name: "Owner" };
  return { slug, tenantId: tenant.id, email, accountId: account.id, session, caller: createCaller({ session }) };
}

export type TestOwner = Awaited<ReturnType<typeof newOwner>>;

/** A new account invited into the owner's tenant with `role`, invitation accepted. */
export async function newMemberOf(owner: TestOwner, role: Role = "VIEWER"): Promise<TestCaller> {
  const member = await newAccount(role === "VIEWER" ? "Viewer" : "Member");
  const { invitePath } = await owner.caller.tenant.invite({ tenantSlug: owner.slug, email: member.email, role });
  await member.caller.tenant.acceptInvitation({ token: invitePath.split("/").at(-1)! });
  return member.caller;
}
