import { zRetentionPolicy } from "@/lib/validation/retention";
import { getRetentionPolicy, getSpaceUsed, setRetentionPolicy } from "../../retention/policy";
import { createTRPCRouter, tenantProcedure, tenantWriteProcedure } from "../init";

/** Settings → Tenant → Retention: how long logs are kept, and the space they take. */
export const retentionRouter = createTRPCRouter({
  get: tenantProcedure.query(async ({ ctx }) => ({
    policy: await getRetentionPolicy({ tenantId: ctx.tenant.id }),
    space: await getSpaceUsed({ tenantId: ctx.tenant.id }),
  })),

  set: tenantWriteProcedure.input(zRetentionPolicy).mutation(({ ctx, input }) =>
    setRetentionPolicy({
      tenantId: ctx.tenant.id,
      policy: { logRetentionDays: input.logRetentionDays, auditRetentionDays: input.auditRetentionDays },
    }),
  ),
});
