import { z } from "zod";
import { serverEnv } from "../../env";
import { getProvisioningEvent, listProvisioningEvents } from "../../provisioning-events/list-events";
import { zExtensionAttribute, zExtensionUrn, UNDECLARED_POLICIES, type UserExtensionSettings } from "@/lib/validation/scim-extensions";
import { AppError } from "../../errors";
import { forgetScimTenants, generateScimToken } from "../../scim-import/tokens";
import { describeScimToken } from "../../tenancy/scim-tokens";
import { changeScimUserExtensions, readScimUserExtensions } from "../../tenancy/scim-user-extensions";
import { createTRPCRouter, tenantProcedure, tenantWriteProcedure } from "../init";

export const scimImportRouter = createTRPCRouter({
  /** The Base URL and what is known about the token (never the token itself). */
  settings: tenantProcedure.query(async ({ ctx }) => ({
    baseUrl: `${serverEnv().APP_URL.replace(/\/+$/, "")}/api/scim/v2/${ctx.tenant.slug}`,
    token: await describeScimToken({ tenantId: ctx.tenant.id }),
  })),

  /** Generates or replaces the token: returned once, stored hashed; the old token stops working. */
  generateToken: tenantWriteProcedure.mutation(({ ctx }) => generateScimToken({ tenantId: ctx.tenant.id })),

  /** The User extension schemas declared for SCIM Import, and the policy for undeclared ones. */
  userExtensions: tenantProcedure.query(({ ctx }) => readScimUserExtensions({ tenantId: ctx.tenant.id })),

  /** Declares one attribute (its extension schema too, when new); a name already declared is refused. */
  declareUserExtensionAttribute: tenantWriteProcedure
    .input(z.object({ urn: zExtensionUrn, attribute: zExtensionAttribute }))
    .mutation(async ({ ctx, input }) => {
      return change(ctx.tenant.id, (settings) => {
        const existing = settings.extensions.find((extension) => extension.urn.toLowerCase() === input.urn.toLowerCase());
        if (existing?.attributes.some((attribute) => attribute.name.toLowerCase() === input.attribute.name.toLowerCase())) {
          throw new AppError("CONFLICT", `${input.attribute.name} is already declared in this schema.`, { field: "name" });
        }
        const extensions = existing
          ? settings.extensions.map((extension) =>
              extension === existing ? { ...extension, attributes: [...extension.attributes, input.attribute] } : extension,
            )
          : [...settings.extensions, { urn: input.urn, attributes: [input.attribute] }];
        return { ...settings, extensions };
      });
    }),

  /** Removes one declared attribute (the schema goes with its last one); stored values stay on users. */
  removeUserExtensionAttribute: tenantWriteProcedure
    .input(z.object({ urn: z.string().max(300), name: z.string().max(100) }))
    .mutation(async ({ ctx, input }) => {
      return change(ctx.tenant.id, (settings) => {
        const extensions = settings.extensions
          .map((extension) =>
            extension.urn.toLowerCase() === input.urn.toLowerCase()
              ? { ...extension, attributes: extension.attributes.filter((a) => a.name.toLowerCase() !== input.name.toLowerCase()) }
              : extension,
          )
          .filter((extension) => extension.attributes.length > 0);
        return { ...settings, extensions };
      });
    }),

  /** accept: undeclared extensions are kept as strings; refuse: SCIM Import answers 400. */
  setUndeclaredUserExtensions: tenantWriteProcedure
    .input(z.object({ undeclared: z.enum(UNDECLARED_POLICIES) }))
    .mutation(async ({ ctx, input }) => {
      return change(ctx.tenant.id, (settings) => ({ ...settings, undeclared: input.undeclared }));
    }),

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

/**
 * Changes the settings atomically (the tenant's row locked from read to write, so concurrent edits
 * all survive); this process forgets its token answers at once (the trigger tells the others).
 */
async function change(tenantId: string, edit: (settings: UserExtensionSettings) => UserExtensionSettings): Promise<UserExtensionSettings> {
  const saved = await changeScimUserExtensions({ tenantId, change: edit });
  forgetScimTenants();
  return saved;
}
