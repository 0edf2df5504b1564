import type { Role } from "@/generated/prisma/enums";
import { db } from "../db";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { generateToken, hashToken } from "../auth/tokens";

const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export type InvitationRow = { id: string; email: string; role: Role; expiresAt: Date; createdAt: Date; invitedBy: string };

/** Creates the invitation and returns the token for the link; only its hash is stored. */
export async function inviteMember(options: {
  tenantId: string;
  actorAccountId: string;
  actorRole: Role;
  email: string;
  role: Role;
}): Promise<{ invitationId: string; token: string; expiresAt: Date }> {
  if (options.role === "OWNER" && options.actorRole !== "OWNER") {
    throw new AppError("FORBIDDEN", "Only owners can invite owners.", { field: "role" });
  }
  const existing = await db().membership.findFirst({
    where: { tenantId: options.tenantId, account: { email: options.email } },
  });
  if (existing) throw new AppError("CONFLICT", `${options.email} is already a member.`, { field: "email" });
  const token = generateToken();
  const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
  const invitation = await db().$transaction(async (tx) => {
    const created = await tx.invitation.create({
      data: {
        tenantId: options.tenantId,
        email: options.email,
        role: options.role,
        tokenHash: hashToken(token),
        invitedById: options.actorAccountId,
        expiresAt,
      },
    });
    await recordAudit(tx, {
      tenantId: options.tenantId,
      action: "member.invited",
      target: { type: "invitation", id: created.id, name: options.email },
      after: { email: options.email, role: options.role, expiresAt },
    });
    return created;
  });
  return { invitationId: invitation.id, token, expiresAt };
}

export async function listPendingInvitations(options: { tenantId: string }): Promise<InvitationRow[]> {
  const rows = await db().invitation.findMany({
    where: { tenantId: options.tenantId, acceptedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true, email: true, role: true, expiresAt: true, createdAt: true, invitedBy: { select: { name: true } } },
    orderBy: { createdAt: "desc" },
  });
  return rows.map(({ invitedBy, ...r }) => ({ ...r, invitedBy: invitedBy.name }));
}

export async function revokeInvitation(options: { tenantId: string; invitationId: string }) {
  await db().$transaction(async (tx) => {
    const where = { id: options.invitationId, tenantId: options.tenantId, acceptedAt: null };
    const invitation = await tx.invitation.findFirst({ where, select: { email: true, role: true } });
    const { count } = await tx.invitation.deleteMany({ where });
    if (count === 0 || !invitation) throw AppError.notFound("This invitation");
    await recordAudit(tx, {
      tenantId: options.tenantId,
      action: "member.invitation_revoked",
      target: { type: "invitation", id: options.invitationId, name: invitation.email },
      before: invitation,
    });
  });
}

async function findUsableInvitation(token: string) {
  const invitation = await db().invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { tenant: { select: { slug: true, name: true } }, invitedBy: { select: { name: true } } },
  });
  if (!invitation || invitation.acceptedAt)
    throw new AppError("NOT_FOUND", "This invitation link is not valid (it may have been used or revoked).");
  if (invitation.expiresAt < new Date()) throw new AppError("BAD_REQUEST", "This invitation has expired. Ask for a new one.");
  return invitation;
}

/** What the invitation page shows before the person accepts. */
export async function describeInvitation(token: string) {
  const inv = await findUsableInvitation(token);
  return { email: inv.email, role: inv.role, tenantName: inv.tenant.name, tenantSlug: inv.tenant.slug, invitedBy: inv.invitedBy.name };
}

/** Accepting joins the signed-in account to the tenant; the account's email must match. */
export async function acceptInvitation(options: { token: string; accountId: string }): Promise<{ tenantSlug: string }> {
  return db().$transaction(async (tx) => {
    const inv = await findUsableInvitation(options.token);
    const account = await tx.account.findUniqueOrThrow({ where: { id: options.accountId } });
    if (account.email !== inv.email) {
      throw new AppError("FORBIDDEN", `This invitation is for ${inv.email}; you are signed in as ${account.email}.`);
    }
    const claimed = await tx.invitation.updateMany({ where: { id: inv.id, acceptedAt: null }, data: { acceptedAt: new Date() } });
    if (claimed.count === 0) throw new AppError("CONFLICT", "This invitation was just used.");
    await tx.membership.upsert({
      where: { tenantId_accountId: { tenantId: inv.tenantId, accountId: account.id } },
      create: { tenantId: inv.tenantId, accountId: account.id, role: inv.role },
      update: {},
    });
    await recordAudit(tx, {
      tenantId: inv.tenantId,
      action: "member.joined",
      target: { type: "member", id: account.id, name: account.email },
      after: { role: inv.role },
    });
    return { tenantSlug: inv.tenant.slug };
  });
}
