import { notFound, redirect } from "next/navigation";
import type { ReactNode } from "react";
import { ConsoleShell } from "@/components/shell/console-shell";
import { getConsoleSession } from "@/server/auth/options";
import { AppError } from "@/server/errors";
import { listTenantsOfAccount, resolveMembership } from "@/server/tenancy/tenants";

export const dynamic = "force-dynamic";

export default async function TenantLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const session = await getConsoleSession();
  if (!session) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/t/${slug}`)}`);
  const membership = await resolveMembership(session.accountId, slug).catch((error) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const tenants = await listTenantsOfAccount(session.accountId);
  return (
    <ConsoleShell
      tenant={{ ...membership.tenant, role: membership.role }}
      tenants={tenants.map((m) => ({ slug: m.tenant.slug, name: m.tenant.name }))}
      account={{ name: session.name, email: session.email }}
    >
      {children}
    </ConsoleShell>
  );
}
