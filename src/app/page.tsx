import { redirect } from "next/navigation";
import { getConsoleSession } from "@/server/auth/options";
import { listTenantsOfAccount } from "@/server/tenancy/tenants";

export const dynamic = "force-dynamic";

export default async function Home() {
  const session = await getConsoleSession();
  if (!session) redirect("/sign-in");
  const [first] = await listTenantsOfAccount(session.accountId);
  redirect(first ? `/t/${first.tenant.slug}/users` : "/new");
}
