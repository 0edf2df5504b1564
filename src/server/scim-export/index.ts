/**
 * SCIM Export: the services the console (tRPC router) and the CLI call. Each takes one options
 * object with `tenantId` (from the authenticated context) and returns plain data; the Secret Token
 * never leaves the server. Errors are AppError (with `field` for form errors). See README.md.
 */
export {
  listExportProfiles,
  createExportProfile,
  getExportProfile,
  updateExportProfile,
  deleteExportProfile,
  updateExportConfiguration,
  releaseExportQuarantine,
} from "./profiles";
export { testExportConnection } from "./test-connection";
export { getExportMapping, updateExportMapping, resetExportMapping, previewExportMapping } from "./mapping-service";
export { listExportAssignedGroups, setExportAssignedGroups, assignExportGroups, unassignExportGroups } from "./assigned-groups";
export { requestExportSync, confirmExportRun, cancelExportRun } from "./sync-request";
export { provisionUserOnDemand } from "./provision-on-demand";
export { previewExportSync, type SyncPreview, type PreviewOperation, type PreviewTotals } from "./preview-sync";
export { listExportRuns, getExportRun, listExportOperations } from "./runs";
export type * from "./types";
