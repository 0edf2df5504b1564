import { z } from "zod";
import {
  zCreateOidcProfile,
  zCreateSamlProfile,
  zMetadataSource,
  zPriority,
  zProfileId,
  zProfileName,
  zReplaceMetadata,
  zSignInListInput,
  zUpdateOidcSettings,
} from "@/lib/validation/sso";
import {
  createOidcProfile,
  createSamlProfile,
  deleteProfile,
  getGroupAuthProfile,
  getProfile,
  getSpMetadata,
  listProfiles,
  previewIdpMetadata,
  replaceIdpMetadata,
  setGroupAuthProfile,
  updateOidcSettings,
  updateProfile,
} from "../../sso/profiles";
import { listProfileEvents } from "../../sso/profile-events";
import { getTestSignIn, listSignInEvents } from "../../sso/sign-in-events";
import { createTRPCRouter, tenantProcedure, tenantWriteProcedure } from "../init";

export const ssoRouter = createTRPCRouter({
  spMetadata: tenantProcedure.query(async ({ ctx }) => {
    const sp = await getSpMetadata({ tenantId: ctx.tenant.id });
    return {
      entityId: sp.entityId,
      acsUrl: sp.acsUrl,
      metadataUrl: sp.metadataUrl,
      signInUrl: sp.signInUrl,
      certificatePem: sp.certificatePem,
      certExpiresAt: sp.certExpiresAt,
    };
  }),
  profiles: tenantProcedure.query(({ ctx }) => listProfiles({ tenantId: ctx.tenant.id })),
  profile: tenantProcedure
    .input(z.object({ profileId: zProfileId }))
    .query(({ ctx, input }) => getProfile({ tenantId: ctx.tenant.id, profileId: input.profileId })),
  previewMetadata: tenantWriteProcedure
    .input(z.object({ source: zMetadataSource }))
    .mutation(({ ctx, input }) => previewIdpMetadata({ tenantId: ctx.tenant.id, ...input.source })),
  createSaml: tenantWriteProcedure.input(zCreateSamlProfile).mutation(async ({ ctx, input }) => {
    const { warnings, ...profile } = await createSamlProfile({
      tenantId: ctx.tenant.id,
      name: input.name,
      priority: input.priority,
      groupIds: input.groupIds,
      allowIdpInitiated: input.allowIdpInitiated,
      ...input.source,
    });
    return { profile, warnings };
  }),
  createOidc: tenantWriteProcedure
    .input(zCreateOidcProfile)
    .mutation(({ ctx, input }) => createOidcProfile({ tenantId: ctx.tenant.id, ...input })),
  update: tenantWriteProcedure
    .input(
      z.object({
        profileId: zProfileId,
        name: zProfileName.optional(),
        priority: zPriority.optional(),
        status: z.enum(["ACTIVE", "DISABLED"]).optional(),
        allowIdpInitiated: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input }) => updateProfile({ tenantId: ctx.tenant.id, ...input })),
  replaceMetadata: tenantWriteProcedure.input(zReplaceMetadata).mutation(async ({ ctx, input }) => {
    const { warnings, ...profile } = await replaceIdpMetadata({ tenantId: ctx.tenant.id, profileId: input.profileId, ...input.source });
    return { profile, warnings };
  }),
  updateOidc: tenantWriteProcedure
    .input(zUpdateOidcSettings)
    .mutation(({ ctx, input }) => updateOidcSettings({ tenantId: ctx.tenant.id, ...input })),
  events: tenantProcedure
    .input(z.object({ profileId: zProfileId }))
    .query(({ ctx, input }) => listProfileEvents({ tenantId: ctx.tenant.id, profileId: input.profileId })),
  delete: tenantWriteProcedure.input(z.object({ profileId: zProfileId })).mutation(async ({ ctx, input }) => {
    await deleteProfile({ tenantId: ctx.tenant.id, profileId: input.profileId });
    return { ok: true };
  }),
  groupProfile: tenantProcedure
    .input(z.object({ groupId: z.string().min(1).max(64) }))
    .query(({ ctx, input }) => getGroupAuthProfile({ tenantId: ctx.tenant.id, groupId: input.groupId })),
  setGroupProfile: tenantWriteProcedure
    .input(z.object({ groupId: z.string().min(1).max(64), profileId: zProfileId.nullable() }))
    .mutation(({ ctx, input }) => setGroupAuthProfile({ tenantId: ctx.tenant.id, groupId: input.groupId, profileId: input.profileId })),
  signIns: tenantProcedure.input(zSignInListInput).query(({ ctx, input }) => listSignInEvents({ tenantId: ctx.tenant.id, ...input })),
  testResult: tenantProcedure
    .input(z.object({ eventId: z.string().max(20) }))
    .query(({ ctx, input }) => getTestSignIn({ tenantId: ctx.tenant.id, eventId: input.eventId })),
});
