import { z } from "zod";
import { serverEnv } from "../../env";
import { getProvisioningEvent, listProvisioningEvents } from "../../provisioning-events/list-events";
import { generateScimToken } from "../../scim-import/tokens";
import { describeScimToken } from "../../tenancy/scim-tokens";
import { createTRPCRouter, tenantProcedure, tenantWriteProcedure } from "../init";

export const scimImportRouter = createTRPCRouter({
  /** The Base URL and what is known about the token (never the token itself). */
  settings: tenantProcedure.query(async ({ ctx }) => ({
    baseUrl: `${serverEnv().APP_URL.replace(/\/+$/, "")}/api/scim/v2/${ctx.tenant.slug}`,
    token: await describeScimToken({ tenantId: ctx.tenant.id }),
  })),

  /** Generates or replaces the token: returned once, stored hashed; the old token stops working. */
  generateToken: tenantWriteProcedure.mutation(({ ctx }) => generateScimToken({ tenantId: ctx.tenant.id })),

  events: tenantProcedure
    .input(
      z.object({
        operation: z.string().max(100).optional(),
        result: z.enum(["success", "failure"]).optional(),
        search: z.string().max(200).optional(),
        from: z.date().optional(),
        to: z.date().optional(),
        offset: z.number().int().min(0).max(1_000_000).default(0),
        limit: z.number().int().min(1).max(100).default(25),
      }),
    )
    .query(({ ctx, input }) => listProvisioningEvents({ tenantId: ctx.tenant.id, ...input })),

  event: tenantProcedure
    .input(z.object({ eventId: z.string().max(20) }))
    .query(({ ctx, input }) => getProvisioningEvent({ tenantId: ctx.tenant.id, eventId: input.eventId })),
});
