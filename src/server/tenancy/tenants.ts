import type { Role } from "@/generated/prisma/enums";
import { db, type DbTx } from "../db";
import { recordAudit } from "../audit/record";
import { AppError, isUniqueViolation } from "../errors";

export type TenantContext = { id: string; slug: string; name: string };
export type TenantMembership = { tenant: TenantContext; role: Role };

export async function createTenantWithOwner(
  tx: DbTx,
  options: { slug: string; name: string; ownerAccountId: string },
): Promise<TenantContext> {
  try {
    const tenant = await tx.tenant.create({
      data: {
        slug: options.slug,
        name: options.name,
        memberships: { create: { accountId: options.ownerAccountId, role: "OWNER" } },
      },
      select: { id: true, slug: true, name: true },
    });
    await recordAudit(tx, {
      tenantId: tenant.id,
      action: "tenant.created",
      target: { type: "tenant", id: tenant.id, name: tenant.name },
      after: { slug: tenant.slug, name: tenant.name, ownerAccountId: options.ownerAccountId },
    });
    return tenant;
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", `The URL name "${options.slug}" is taken; pick another.`, { field: "slug" });
    }
    throw error;
  }
}

export async function createTenant(options: { slug: string; name: string; ownerAccountId: string }) {
  return db().$transaction((tx) => createTenantWithOwner(tx, options));
}

export async function listTenantsOfAccount(accountId: string): Promise<TenantMembership[]> {
  const rows = await db().membership.findMany({
    where: { accountId },
    select: { role: true, tenant: { select: { id: true, slug: true, name: true } } },
    orderBy: { tenant: { name: "asc" } },
  });
  return rows;
}

/**
 * The caller's membership in the tenant named by an unverified slug from the URL or input.
 * Not a member and no such tenant are the same answer: another tenant's data simply does not exist.
 */
export async function resolveMembership(accountId: string, unverifiedSlug: string): Promise<TenantMembership> {
  const row = await db().membership.findFirst({
    where: { accountId, tenant: { slug: unverifiedSlug } },
    select: { role: true, tenant: { select: { id: true, slug: true, name: true } } },
  });
  if (!row) throw AppError.notFound("This organisation");
  return row;
}

export async function renameTenant(options: { tenantId: string; name: string }): Promise<TenantContext> {
  return db().$transaction(async (tx) => {
    const before = await tx.tenant.findUniqueOrThrow({ where: { id: options.tenantId }, select: { name: true } });
    const tenant = await tx.tenant.update({
      where: { id: options.tenantId },
      data: { name: options.name },
      select: { id: true, slug: true, name: true },
    });
    await recordAudit(tx, {
      tenantId: tenant.id,
      action: "tenant.renamed",
      target: { type: "tenant", id: tenant.id, name: tenant.name },
      before,
      after: { name: tenant.name },
    });
    return tenant;
  });
}

/** What a public page (the portal, SP metadata) shows of a tenant: its name and slug, or null for an unknown slug. */
export async function findPublicTenant(unverifiedSlug: string): Promise<{ name: string; slug: string } | null> {
  return db().tenant.findUnique({ where: { slug: unverifiedSlug }, select: { name: true, slug: true } });
}
