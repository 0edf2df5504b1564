import { redirect } from "next/navigation";
import { getConsoleSession } from "@/server/auth/options";
import { hasAnyAccount } from "@/server/tenancy/has-any-account";
import { listTenantsOfAccount } from "@/server/tenancy/tenants";

export const dynamic = "force-dynamic";

/** Signed in: the first tenant's overview (or creating one). Signed out: sign-in, or sign-up on a new installation. */
export default async function Home() {
  const session = await getConsoleSession();
  if (!session) redirect((await hasAnyAccount()) ? "/sign-in" : "/sign-up");
  const [first] = await listTenantsOfAccount(session.accountId);
  redirect(first ? `/t/${first.tenant.slug}` : "/new");
}
