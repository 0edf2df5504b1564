/**
 * What the audit log records: every change made in the console or the CLI, by action. The console's
 * filter and the CLI read this list; src/server/audit writes only these.
 */
export const AUDIT_ACTIONS = {
  "tenant.created": "Organisation created",
  "tenant.renamed": "Organisation renamed",
  "tenant.retention_changed": "Retention changed",
  "member.invited": "Member invited",
  "member.invitation_revoked": "Invitation revoked",
  "member.joined": "Invitation accepted",
  "member.role_changed": "Member role changed",
  "member.removed": "Member removed",
  "scim_token.generated": "SCIM token generated",
  "scim_import.user_extensions_changed": "Custom user attributes changed",
  "export_profile.created": "Export profile created",
  "export_profile.updated": "Export profile renamed",
  "export_profile.deleted": "Export profile deleted",
  "export_profile.configured": "Export configuration saved",
  "export_profile.token_replaced": "Export token replaced",
  "export_profile.quarantine_released": "Quarantine released",
  "export_profile.mapping_saved": "Mapping saved",
  "export_profile.mapping_reset": "Mapping reset",
  "export_profile.groups_changed": "Assigned groups changed",
  "export_profile.sync_requested": "Sync requested",
  "export_profile.provision_requested": "Provision on demand",
  "export_run.confirmed": "Held run continued",
  "export_run.cancelled": "Held run cancelled",
  "auth_profile.created": "Authentication profile created",
  "auth_profile.updated": "Authentication profile changed",
  "auth_profile.metadata_reimported": "IdP metadata re-imported",
  "auth_profile.deleted": "Authentication profile deleted",
  "auth_profile.assigned": "Authentication profile assigned",
  "auth_profile.unassigned": "Authentication profile removed from a group",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;
export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as [AuditAction, ...AuditAction[]];

/** The label of the CLI as an actor. */
export const CLI_ACTOR_LABEL = "operator CLI";
