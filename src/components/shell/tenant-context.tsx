"use client";
import { createContext, useContext, type ReactNode } from "react";

export type TenantRole = "OWNER" | "ADMIN" | "VIEWER";
export type CurrentTenant = { id: string; slug: string; name: string; role: TenantRole };

const TenantContext = createContext<CurrentTenant | null>(null);

export function TenantProvider({ tenant, children }: { tenant: CurrentTenant; children: ReactNode }) {
  return <TenantContext.Provider value={tenant}>{children}</TenantContext.Provider>;
}

/** The tenant of the current /t/<slug> page, as the server verified it. */
export function useTenant(): CurrentTenant & { canWrite: boolean; isOwner: boolean } {
  const tenant = useContext(TenantContext);
  if (!tenant) throw new Error("useTenant() is only available under /t/[slug]");
  return { ...tenant, canWrite: tenant.role !== "VIEWER", isOwner: tenant.role === "OWNER" };
}
