import { z } from "zod";
import {
  assignExportGroups,
  cancelExportRun,
  confirmExportRun,
  createExportProfile,
  deleteExportProfile,
  getExportMapping,
  getExportProfile,
  getExportRun,
  listExportAssignedGroups,
  listExportOperations,
  listExportProfiles,
  listExportRuns,
  previewExportMapping,
  previewExportSync,
  provisionUserOnDemand,
  releaseExportQuarantine,
  requestExportSync,
  resetExportMapping,
  setExportAssignedGroups,
  testExportConnection,
  unassignExportGroups,
  updateExportConfiguration,
  updateExportMapping,
  updateExportProfile,
} from "../../scim-export";
import { zDirectoryId } from "@/lib/validation/directory";
import {
  EXPORT_OPERATION_ACTIONS,
  EXPORT_OPERATION_RESULTS,
  zAssignedGroupsInput,
  zExportConfigurationForm,
  zExportProfileForm,
  zExportProfileUpdate,
  zMappingForm,
  zMappingRow,
  zTestConnectionInput,
} from "@/lib/validation/scim-export";
import { createTRPCRouter, tenantProcedure, tenantWriteProcedure } from "../init";

/**
 * IDAM → SCIM Export. Thin procedures over src/server/scim-export: the tenant comes from the
 * verified context, inputs from the shared zod schemas; the services return plain data and never
 * the Secret Token. Reads are open to viewers; changes, Test Connection (it uses the stored token)
 * and syncs need the write permission.
 */

const zProfileId = z.object({ profileId: zDirectoryId });
const zRunId = z.object({ runId: zDirectoryId });
const zPage = { page: z.number().int().min(1).max(100_000).default(1), pageSize: z.number().int().min(1).max(100).default(25) };

export const scimExportRouter = createTRPCRouter({
  list: tenantProcedure.query(({ ctx }) => listExportProfiles({ tenantId: ctx.tenant.id })),

  get: tenantProcedure
    .input(zProfileId)
    .query(({ ctx, input }) => getExportProfile({ tenantId: ctx.tenant.id, profileId: input.profileId })),

  create: tenantWriteProcedure.input(zExportProfileForm).mutation(({ ctx, input }) => {
    const { tenantSlug: _slug, ...form } = input;
    return createExportProfile({ tenantId: ctx.tenant.id, input: form });
  }),

  update: tenantWriteProcedure.input(zExportProfileUpdate.extend(zProfileId.shape)).mutation(({ ctx, input }) =>
    updateExportProfile({
      tenantId: ctx.tenant.id,
      profileId: input.profileId,
      input: { name: input.name, description: input.description },
    }),
  ),

  delete: tenantWriteProcedure
    .input(zProfileId)
    .mutation(({ ctx, input }) => deleteExportProfile({ tenantId: ctx.tenant.id, profileId: input.profileId })),

  saveConfiguration: tenantWriteProcedure.input(zExportConfigurationForm.extend(zProfileId.shape)).mutation(({ ctx, input }) => {
    const { tenantSlug: _slug, profileId, ...form } = input;
    return updateExportConfiguration({ tenantId: ctx.tenant.id, profileId, input: form });
  }),

  testConnection: tenantWriteProcedure.input(zTestConnectionInput.extend(zProfileId.shape)).mutation(({ ctx, input }) =>
    testExportConnection({
      tenantId: ctx.tenant.id,
      profileId: input.profileId,
      input: { baseUrl: input.baseUrl, token: input.token || undefined },
    }),
  ),

  releaseQuarantine: tenantWriteProcedure
    .input(zProfileId)
    .mutation(({ ctx, input }) => releaseExportQuarantine({ tenantId: ctx.tenant.id, profileId: input.profileId })),

  mapping: tenantProcedure
    .input(zProfileId)
    .query(({ ctx, input }) => getExportMapping({ tenantId: ctx.tenant.id, profileId: input.profileId })),

  saveMapping: tenantWriteProcedure
    .input(zMappingForm.extend(zProfileId.shape))
    .mutation(({ ctx, input }) =>
      updateExportMapping({ tenantId: ctx.tenant.id, profileId: input.profileId, input: { user: input.user, group: input.group } }),
    ),

  resetMapping: tenantWriteProcedure
    .input(zProfileId)
    .mutation(({ ctx, input }) => resetExportMapping({ tenantId: ctx.tenant.id, profileId: input.profileId })),

  /** The exact create body for one user through the mapping in the form (saved or not). */
  previewMapping: tenantProcedure
    .input(zProfileId.extend({ userId: zDirectoryId, rows: z.array(zMappingRow).max(60).optional() }))
    .query(({ ctx, input }) =>
      previewExportMapping({ tenantId: ctx.tenant.id, profileId: input.profileId, userId: input.userId, mapping: input.rows }),
    ),

  assignedGroups: tenantProcedure
    .input(zProfileId)
    .query(({ ctx, input }) => listExportAssignedGroups({ tenantId: ctx.tenant.id, profileId: input.profileId })),

  setGroups: tenantWriteProcedure.input(zAssignedGroupsInput.extend(zProfileId.shape)).mutation(({ ctx, input }) =>
    setExportAssignedGroups({
      tenantId: ctx.tenant.id,
      profileId: input.profileId,
      groupIds: input.groupIds,
      includeNestedGroups: input.includeNestedGroups,
      nestedGroupsOnTarget: input.nestedGroupsOnTarget,
    }),
  ),

  assignGroups: tenantWriteProcedure
    .input(zAssignedGroupsInput.pick({ groupIds: true }).extend(zProfileId.shape))
    .mutation(({ ctx, input }) => assignExportGroups({ tenantId: ctx.tenant.id, profileId: input.profileId, groupIds: input.groupIds })),

  unassignGroups: tenantWriteProcedure
    .input(zAssignedGroupsInput.pick({ groupIds: true }).extend(zProfileId.shape))
    .mutation(({ ctx, input }) => unassignExportGroups({ tenantId: ctx.tenant.id, profileId: input.profileId, groupIds: input.groupIds })),

  /**
   * Sync (step 11, "MANUAL") and About → Provision on Demand (step 14, "ON_DEMAND"). Both are a full
   * reconcile: an admin who presses a button expects the target put in line with the directory,
   * including drift made there; the schedule and directory changes run the cheaper incremental pass.
   */
  sync: tenantWriteProcedure
    .input(zProfileId.extend({ trigger: z.enum(["MANUAL", "ON_DEMAND"]).default("MANUAL") }))
    .mutation(({ ctx, input }) =>
      // Provision on Demand is the first-time (or "make it right now") sync: a full pass. Sync sends what changed.
      requestExportSync({
        tenantId: ctx.tenant.id,
        profileId: input.profileId,
        trigger: input.trigger,
        requestedBy: ctx.session.email,
        full: true,
      }),
    ),

  /** Preview sync: what a full sync would change on the target, read from it, nothing written (preview-sync.ts). */
  previewSync: tenantWriteProcedure
    .input(zProfileId)
    .mutation(({ ctx, input }) => previewExportSync({ tenantId: ctx.tenant.id, profileId: input.profileId })),

  /** A run stopped at the deletion threshold: continue (confirm) or cancel it. */
  confirmRun: tenantWriteProcedure
    .input(zRunId.extend({ confirm: z.boolean() }))
    .mutation(({ ctx, input }) =>
      input.confirm
        ? confirmExportRun({ tenantId: ctx.tenant.id, runId: input.runId, requestedBy: ctx.session.email })
        : cancelExportRun({ tenantId: ctx.tenant.id, runId: input.runId }),
    ),

  /** Provision one user now, step by step (scope, match, action, attributes sent, the target's answer). */
  provisionUser: tenantWriteProcedure
    .input(zProfileId.extend({ userId: zDirectoryId }))
    .mutation(({ ctx, input }) =>
      provisionUserOnDemand({ tenantId: ctx.tenant.id, profileId: input.profileId, userId: input.userId, requestedBy: ctx.session.email }),
    ),

  runs: tenantProcedure.input(zProfileId.extend(zPage)).query(({ ctx, input }) =>
    listExportRuns({
      tenantId: ctx.tenant.id,
      profileId: input.profileId,
      offset: (input.page - 1) * input.pageSize,
      limit: input.pageSize,
    }),
  ),

  run: tenantProcedure.input(zRunId).query(({ ctx, input }) => getExportRun({ tenantId: ctx.tenant.id, runId: input.runId })),

  operations: tenantProcedure
    .input(
      zProfileId.extend({
        runId: z.uuid().optional(),
        objectType: z.enum(["USER", "GROUP"]).optional(),
        action: z.enum(EXPORT_OPERATION_ACTIONS).optional(),
        result: z.enum(EXPORT_OPERATION_RESULTS).optional(),
        search: z.string().trim().max(200).optional(),
        ...zPage,
      }),
    )
    .query(({ ctx, input }) => {
      const { tenantSlug: _slug, profileId, page, pageSize, ...filters } = input;
      return listExportOperations({ tenantId: ctx.tenant.id, profileId, filters, offset: (page - 1) * pageSize, limit: pageSize });
    }),
});
