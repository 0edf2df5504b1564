import { Prisma } from "@/generated/prisma/client";
import type { Role } from "@/generated/prisma/enums";
import { db } from "../db";
import { sqlRows } from "../db/sql";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";

export type MemberRow = { accountId: string; email: string; name: string; role: Role; joinedAt: Date };

export async function listMembers(options: { tenantId: string }): Promise<MemberRow[]> {
  const rows = await db().membership.findMany({
    where: { tenantId: options.tenantId },
    select: { role: true, createdAt: true, account: { select: { id: true, email: true, name: true } } },
    orderBy: [{ role: "asc" }, { createdAt: "asc" }],
  });
  return rows.map((r) => ({ accountId: r.account.id, email: r.account.email, name: r.account.name, role: r.role, joinedAt: r.createdAt }));
}

/**
 * Role changes and removals, with the rules that keep a tenant manageable: only owners touch
 * owners, and the last owner can neither be demoted nor leave.
 */
export async function changeMemberRole(options: { tenantId: string; actorRole: Role; accountId: string; role: Role }) {
  await db().$transaction(async (tx) => {
    const member = await tx.membership.findUnique({
      where: { tenantId_accountId: { tenantId: options.tenantId, accountId: options.accountId } },
      include: { account: { select: { email: true } } },
    });
    if (!member) throw AppError.notFound("This member");
    if (options.actorRole !== "OWNER") throw new AppError("FORBIDDEN", "Only owners can change roles.");
    if (member.role === "OWNER" && options.role !== "OWNER") await assertAnotherOwner(tx, options.tenantId, options.accountId);
    await tx.membership.update({ where: { id: member.id }, data: { role: options.role } });
    await recordAudit(tx, {
      tenantId: options.tenantId,
      action: "member.role_changed",
      target: { type: "member", id: options.accountId, name: member.account.email },
      before: { role: member.role },
      after: { role: options.role },
    });
  });
}

export async function removeMember(options: { tenantId: string; actorAccountId: string; actorRole: Role; accountId: string }) {
  await db().$transaction(async (tx) => {
    const member = await tx.membership.findUnique({
      where: { tenantId_accountId: { tenantId: options.tenantId, accountId: options.accountId } },
      include: { account: { select: { email: true } } },
    });
    if (!member) throw AppError.notFound("This member");
    const leaving = options.actorAccountId === options.accountId;
    if (!leaving && options.actorRole !== "OWNER") throw new AppError("FORBIDDEN", "Only owners can remove members.");
    if (member.role === "OWNER") await assertAnotherOwner(tx, options.tenantId, options.accountId);
    await tx.membership.delete({ where: { id: member.id } });
    await recordAudit(tx, {
      tenantId: options.tenantId,
      action: "member.removed",
      target: { type: "member", id: options.accountId, name: member.account.email },
      before: { role: member.role },
    });
  });
}

type Tx = Parameters<Parameters<ReturnType<typeof db>["$transaction"]>[0]>[0];

async function assertAnotherOwner(tx: Tx, tenantId: string, accountId: string) {
  // Lock the owners' rows so that two owners leaving at once cannot both succeed.
  const owners = await sqlRows<{ accountId: string }>(
    Prisma.sql`SELECT "accountId" FROM "Membership" WHERE "tenantId" = ${tenantId}::uuid AND role = 'OWNER' FOR UPDATE`,
    { kind: "point", tx },
  );
  if (!owners.some((o) => o.accountId !== accountId)) {
    throw new AppError("CONFLICT", "An organisation needs at least one owner. Make someone else an owner first.");
  }
}
