import { z } from "zod";
import { signUp, signUpWithInvitation } from "../../tenancy/accounts";
import { createTenant, listTenantsOfAccount } from "../../tenancy/tenants";
import { zInvitedSignUpInput, zSignUpInput, zTenantName, zTenantSlug } from "@/lib/validation/tenancy";
import { authedProcedure, createTRPCRouter, publicProcedure } from "../init";

export const accountRouter = createTRPCRouter({
  // Both sign-ups check a password when the email has an account: they count in the sign-in throttle by client address.
  signUp: publicProcedure.input(zSignUpInput).mutation(async ({ ctx, input }) => {
    const { tenantSlug } = await signUp(
      { email: input.email, password: input.password, name: input.name, tenant: { slug: input.tenantSlug, name: input.tenantName } },
      { clientAddress: ctx.clientAddress ?? null },
    );
    return { tenantSlug };
  }),

  signUpWithInvitation: publicProcedure
    .input(zInvitedSignUpInput)
    .mutation(({ ctx, input }) => signUpWithInvitation(input, { clientAddress: ctx.clientAddress ?? null })),

  me: authedProcedure.query(async ({ ctx }) => ({
    account: ctx.session,
    tenants: (await listTenantsOfAccount(ctx.session.accountId)).map((m) => ({ ...m.tenant, role: m.role })),
  })),

  createTenant: authedProcedure.input(z.object({ name: zTenantName, slug: zTenantSlug })).mutation(async ({ ctx, input }) => {
    const tenant = await createTenant({ ...input, ownerAccountId: ctx.session.accountId });
    return { tenantSlug: tenant.slug };
  }),
});
