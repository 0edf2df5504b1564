import { z } from "zod";
import { acceptInvitation, describeInvitation, inviteMember, listPendingInvitations, revokeInvitation } from "../../tenancy/invitations";
import { changeMemberRole, listMembers, removeMember } from "../../tenancy/members";
import { renameTenant } from "../../tenancy/tenants";
import { zEmail, zRole, zTenantName } from "@/lib/validation/tenancy";
import { authedProcedure, createTRPCRouter, memberAdminProcedure, publicProcedure, tenantProcedure, tenantWriteProcedure } from "../init";
import { tenantOverview } from "../../tenancy/overview";

const zToken = z.string().min(10).max(200);

export const tenantRouter = createTRPCRouter({
  get: tenantProcedure.query(({ ctx }) => ({ ...ctx.tenant, role: ctx.role })),

  rename: tenantWriteProcedure
    .input(z.object({ name: zTenantName }))
    .mutation(({ ctx, input }) => renameTenant({ tenantId: ctx.tenant.id, name: input.name })),

  /** The overview page: the last 24 hours and what needs attention (tenancy/overview.ts). */
  overview: tenantProcedure.query(({ ctx }) => tenantOverview({ tenantId: ctx.tenant.id })),
  members: tenantProcedure.query(({ ctx }) => listMembers({ tenantId: ctx.tenant.id })),

  invitations: tenantProcedure.query(({ ctx }) => listPendingInvitations({ tenantId: ctx.tenant.id })),

  invite: memberAdminProcedure.input(z.object({ email: zEmail, role: zRole })).mutation(async ({ ctx, input }) => {
    const { token, expiresAt } = await inviteMember({
      tenantId: ctx.tenant.id,
      actorAccountId: ctx.session.accountId,
      actorRole: ctx.role,
      email: input.email,
      role: input.role,
    });
    // The path only: the page builds the full link from the browser's origin.
    return { invitePath: `/invite/${token}`, expiresAt };
  }),

  revokeInvitation: memberAdminProcedure
    .input(z.object({ invitationId: z.uuid() }))
    .mutation(({ ctx, input }) => revokeInvitation({ tenantId: ctx.tenant.id, invitationId: input.invitationId })),

  changeRole: memberAdminProcedure
    .input(z.object({ accountId: z.uuid(), role: zRole }))
    .mutation(({ ctx, input }) =>
      changeMemberRole({ tenantId: ctx.tenant.id, actorRole: ctx.role, accountId: input.accountId, role: input.role }),
    ),

  removeMember: memberAdminProcedure
    .input(z.object({ accountId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      removeMember({ tenantId: ctx.tenant.id, actorAccountId: ctx.session.accountId, actorRole: ctx.role, accountId: input.accountId }),
    ),

  /** Any member may leave, viewers included (the last owner may not). */
  leave: tenantProcedure.mutation(({ ctx }) =>
    removeMember({ tenantId: ctx.tenant.id, actorAccountId: ctx.session.accountId, actorRole: ctx.role, accountId: ctx.session.accountId }),
  ),

  describeInvitation: publicProcedure.input(z.object({ token: zToken })).query(({ input }) => describeInvitation(input.token)),

  acceptInvitation: authedProcedure
    .input(z.object({ token: zToken }))
    .mutation(({ ctx, input }) => acceptInvitation({ token: input.token, accountId: ctx.session.accountId })),
});
