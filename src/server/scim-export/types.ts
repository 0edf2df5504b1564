/** Plain data the engine's services return to the console (never the encrypted token). */
import type {
  ExportLeaveAction,
  ExportObjectType,
  ExportOperationResult,
  ExportRunStatus,
  ExportRunTrigger,
  ExportTargetType,
} from "@/generated/prisma/enums";
import type { MappingRow } from "@/lib/validation/scim-export";
import type { MemberChange, RunChange } from "./run-wording";

export type ExportProfileStatus =
  "NOT_CONFIGURED" | "DISABLED" | "QUARANTINED" | "NEEDS_CONFIRMATION" | "RUNNING" | "NEVER_SYNCED" | "HEALTHY" | "WARNING" | "FAILED";

export type ExportProfileSummary = {
  id: string;
  name: string;
  description: string;
  type: ExportTargetType;
  baseUrl: string | null;
  status: ExportProfileStatus;
  enabled: boolean;
  lastSyncAt: Date | null;
  lastSyncStatus: ExportRunStatus | null;
  nextSyncAt: Date | null;
  assignedGroups: number;
  syncedUsers: number;
  syncedGroups: number;
  createdAt: Date;
};

export type ConnectionKind =
  | "OK"
  | "BLOCKED_URL"
  | "INVALID_URL"
  | "UNREACHABLE"
  | "TLS"
  | "TIMEOUT"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "NOT_SCIM"
  | "RATE_LIMITED"
  | "SERVER_ERROR"
  | "NO_TOKEN";

export type ConnectionResult = {
  ok: boolean;
  kind: ConnectionKind;
  /** One readable sentence: what happened and what to do. */
  message: string;
  httpStatus: number | null;
  /** What the check found on success, e.g. "Databricks workspace SCIM API, 12 users". */
  detail: string | null;
  checkedAt: Date;
};

type ExportQuarantine = { until: Date; reason: string; consecutiveFailures: number };

type ExportConfiguration = {
  baseUrl: string | null;
  /** True when a Secret Token is stored; its value never leaves the server. */
  tokenSet: boolean;
  /** "••••abcd" or null. */
  tokenMasked: string | null;
  /** When the token was last saved. */
  tokenSetAt: Date | null;
  scheduleMinutes: number | null;
  leaveAction: ExportLeaveAction;
  deletionThreshold: number;
  enabled: boolean;
  matchOrder: ("userName" | "externalId")[];
  requestsPerSecond: number | null;
  concurrency: number;
  includeNestedGroups: boolean;
  /** With includeNestedGroups: the parent lists every user below it (FLATTEN) or its child groups as members (NESTED). */
  nestedGroupsOnTarget: "FLATTEN" | "NESTED";
  /** A full reconcile at least this often (hours); runs in between read only what changed. */
  fullSyncHours: number;
  /** When the last full pass was planned (null: none yet). */
  lastFullSyncAt: Date | null;
};

export type ExportProfileDetail = ExportProfileSummary & {
  configuration: ExportConfiguration;
  quarantine: ExportQuarantine | null;
  lastConnection: ConnectionResult | null;
  /** The run in progress (queued or running), for the live progress panel. */
  activeRun: ExportRunSummary | null;
  /** The latest run waiting for the admin to confirm deletions, if any. */
  pendingConfirmation: ExportRunSummary | null;
  /** Databricks workspaces hold at most 10,000 users: set when the scope is over it. */
  limitWarning: string | null;
};

export type ExportMapping = {
  user: MappingRow[];
  group: MappingRow[];
  userSourceAttributes: readonly string[];
  groupSourceAttributes: readonly string[];
  userTargetAttributes: readonly string[];
  groupTargetAttributes: readonly string[];
  /** Function names and one-line help, for the expression editor. */
  functions: { name: string; help: string }[];
};

export type MappingPreview = {
  /** The exact body a create would send. */
  createBody: Record<string, unknown>;
  /** The attributes compared on every sync ("always" rows). */
  attributes: Record<string, unknown>;
  /** Problems per row (unknown attribute, expression errors), if the given mapping has any. */
  problems: { index: number; message: string; position?: number }[];
  /** Whether the user (or group) is in the profile's scope; null without a subject. */
  inScope: boolean | null;
};

export type AssignedGroup = { groupId: string; displayName: string; memberCount: number; assignedAt: Date };

export type ExportRunSummary = {
  id: string;
  trigger: ExportRunTrigger;
  status: ExportRunStatus;
  phase: string;
  done: number;
  total: number;
  counts: Record<string, number>;
  stats: Record<string, number>;
  message: string | null;
  pendingDeletions: number | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  errors: number;
  /** "full" (every in-scope user compared) or "incremental" (only what changed); null until planned. */
  mode: string | null;
  /** Provision on Demand of one user: that user's userName (the runs list names it). */
  subject: string | null;
  /** Members added to / removed from each group (from the run's membership operations). */
  memberChanges: MemberChange[];
  /** What the run did, one line per kind of change ("3 users created", "18 members added to Data Engineers"). */
  changes: RunChange[];
  /** One truthful sentence: what it changed, or why it failed and whether anything reached the target; null while it runs. */
  outcome: string | null;
};

export type ExportOperationRow = {
  id: string;
  runId: string;
  at: Date;
  objectType: ExportObjectType;
  localId: string | null;
  remoteId: string | null;
  name: string;
  action: string;
  result: ExportOperationResult;
  changes: { attribute: string; old: unknown; new: unknown }[] | null;
  reason: string | null;
  httpStatus: number | null;
  request: unknown;
  response: unknown;
};

export type Page<T> = { items: T[]; total: number; nextCursor: string | null };

export type ProvisionStep = {
  step: "load" | "scope" | "map" | "match" | "action" | "groups";
  status: "ok" | "skipped" | "failed";
  title: string;
  detail: string;
  /** Attributes sent, the target's answer, etc. (redacted). */
  data?: unknown;
};

export type ProvisionOnDemandResult = {
  runId: string;
  userName: string;
  outcome: "created" | "updated" | "matched" | "unchanged" | "deactivated" | "skipped" | "failed";
  steps: ProvisionStep[];
};
