/**
 * SCIM Export inputs shared by the console's forms and the tRPC procedures. Pure zod: client
 * components import it. Messages are shown to people as they are. Expressions are checked with the
 * mapping language's own parser (src/lib/mapping-expression), whose errors carry their position.
 */
import { z } from "zod";
import { ExpressionError, parseExpression, typeOf, type ValueType } from "@/lib/mapping-expression";
import { sameOrigin } from "@/lib/url-origin";

const noControlChars = (value: string) => !/[\u0000-\u001f\u007f]/.test(value);

const EXPORT_TARGET_TYPES = ["DATABRICKS", "SCIM"] as const;
export type ExportTargetTypeValue = (typeof EXPORT_TARGET_TYPES)[number];

export const LEAVE_ACTIONS = ["DEACTIVATE", "DELETE"] as const;
export const leaveActionLabels: Record<(typeof LEAVE_ACTIONS)[number], string> = {
  DEACTIVATE: "Deactivate the user in the target",
  DELETE: "Delete the user from the target",
};

const MATCH_ATTRIBUTES = ["userName", "externalId"] as const;

const zExportProfileName = z
  .string()
  .trim()
  .min(1, "Enter the application name.")
  .max(100, "At most 100 characters.")
  .refine(noControlChars, "Remove the control characters.");

/** Add / edit a profile: name, description, type (the type cannot change after creation). */
export const zExportProfileForm = z.object({
  name: zExportProfileName,
  description: z.string().trim().max(500, "At most 500 characters.").refine(noControlChars, "Remove the control characters."),
  type: z.enum(EXPORT_TARGET_TYPES, { message: "Choose the kind of application." }),
});
export type ExportProfileFormValues = z.input<typeof zExportProfileForm>;
export const emptyExportProfileForm: ExportProfileFormValues = { name: "", description: "", type: "DATABRICKS" };

export const zExportProfileUpdate = zExportProfileForm.pick({ name: true, description: true });

const zTenantUrl = z
  .string()
  .trim()
  .min(1, "Enter the Tenant URL (the SCIM base URL of the application).")
  .max(2000, "At most 2000 characters.")
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === "https:" || url.protocol === "http:";
    } catch {
      return false;
    }
  }, "Enter a full URL, e.g. https://adb-123.azuredatabricks.net/api/2.0/preview/scim/v2");

/**
 * The Configuration tab. `token` is write-only: empty keeps the stored token (the form never
 * receives it back). The schedule is in minutes; null means "no schedule".
 */
export const zExportConfigurationForm = z.object({
  baseUrl: zTenantUrl,
  token: z.string().trim().max(4000, "At most 4000 characters.").refine(noControlChars, "Remove the control characters."),
  scheduleMinutes: z.number().int().min(5, "At least 5 minutes.").max(10080, "At most one week (10080 minutes).").nullable(),
  leaveAction: z.enum(LEAVE_ACTIONS),
  deletionThreshold: z.number().int().min(0, "0 or more.").max(1_000_000),
  enabled: z.boolean(),
  matchOrder: z
    .array(z.enum(MATCH_ATTRIBUTES))
    .min(1, "Choose at least one matching attribute.")
    .refine((list) => new Set(list).size === list.length, "Each attribute once."),
  /** Requests per second to the target; null: the type's default (Databricks: 5). */
  requestsPerSecond: z.number().int().min(1, "At least 1.").max(1000, "At most 1000.").nullable(),
  concurrency: z.number().int().min(1, "At least 1.").max(32, "At most 32."),
  /** A full reconcile at least this often (hours); the runs in between send only what changed. Omitted: unchanged (default 24). */
  fullSyncHours: z.number().int().min(1, "At least 1 hour.").max(720, "At most 30 days (720 hours).").optional(),
});
export type ExportConfigurationFormValues = z.input<typeof zExportConfigurationForm>;

/** Test Connection with what is in the form (token empty: the stored one). */
export const zTestConnectionInput = z.object({
  baseUrl: zTenantUrl.optional(),
  token: z.string().trim().max(4000).optional(),
});

/**
 * The stored Secret Token goes only to the origin (scheme, host, port) it was saved with: a Tenant
 * URL on another origin needs the token typed again (the form says so; the server refuses).
 */
export const storedTokenMayGoTo = (savedUrl: string | null, targetUrl: string) => savedUrl !== null && sameOrigin(savedUrl, targetUrl);
export const TOKEN_NEEDED_FOR_ANOTHER_HOST =
  "Enter the Secret Token again: the Tenant URL points at another host than the one the stored token was saved for.";

// ─── Mapping ────────────────────────────────────────────────────────────────

export const MAPPING_KINDS = ["attribute", "constant", "expression"] as const;
export const mappingKindLabels: Record<(typeof MAPPING_KINDS)[number], string> = {
  attribute: "Directory attribute",
  constant: "Constant",
  expression: "Expression",
};
export const MAPPING_APPLY = ["always", "create"] as const;
export const mappingApplyLabels: Record<(typeof MAPPING_APPLY)[number], string> = {
  always: "Always",
  create: "Only on create",
};

/** Directory attributes a user mapping can read (also usable as [name] in expressions). */
export const USER_SOURCE_ATTRIBUTES = [
  "id",
  "userName",
  "email",
  "externalId",
  "displayName",
  "givenName",
  "familyName",
  "middleName",
  "formattedName",
  "honorificPrefix",
  "honorificSuffix",
  "nickName",
  "title",
  "userType",
  "preferredLanguage",
  "locale",
  "timezone",
  "active",
  "phoneNumber",
  "employeeNumber",
  "costCenter",
  "organization",
  "division",
  "department",
  "managerId",
  "managerName",
] as const;

export const GROUP_SOURCE_ATTRIBUTES = ["id", "displayName", "externalId", "description"] as const;

/** SCIM attributes a mapping can write. `emails` is the primary work email; `entitlements` takes a comma list. */
export const USER_TARGET_ATTRIBUTES = [
  "userName",
  "displayName",
  "name.givenName",
  "name.familyName",
  "name.middleName",
  "name.formatted",
  "name.honorificPrefix",
  "name.honorificSuffix",
  "nickName",
  "title",
  "userType",
  "preferredLanguage",
  "locale",
  "timezone",
  "active",
  "externalId",
  "emails",
  "phoneNumbers",
  "entitlements",
  "enterprise.employeeNumber",
  "enterprise.costCenter",
  "enterprise.organization",
  "enterprise.division",
  "enterprise.department",
  "enterprise.manager",
] as const;

export const GROUP_TARGET_ATTRIBUTES = ["displayName", "externalId", "entitlements"] as const;

/**
 * One mapping row: target ← source attribute | constant | expression, applied always or only
 * when the object is created, with a default used when the value is empty.
 */
export const zMappingRow = z
  .object({
    target: z.string().trim().min(1, "Choose the target attribute.").max(200),
    kind: z.enum(MAPPING_KINDS),
    /** The attribute name, the constant, or the expression text. */
    value: z.string().max(2000, "At most 2000 characters."),
    apply: z.enum(MAPPING_APPLY),
    /** Used when the value is empty; "" means no default. */
    defaultValue: z.string().max(500, "At most 500 characters."),
  })
  .superRefine((row, ctx) => {
    if (row.kind !== "constant" && row.value.trim() === "") {
      ctx.addIssue({
        code: "custom",
        path: ["value"],
        message: row.kind === "attribute" ? "Choose the directory attribute." : "Enter an expression.",
      });
    }
  });
export type MappingRow = z.infer<typeof zMappingRow>;

const duplicateTargets = (rows: MappingRow[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  rows.forEach((row, index) => {
    if (seen.has(row.target)) ctx.addIssue({ code: "custom", path: [index, "target"], message: `"${row.target}" is mapped twice.` });
    seen.add(row.target);
  });
};

export const zUserMapping = z
  .array(zMappingRow)
  .max(60, "At most 60 rows.")
  .superRefine((rows, ctx) => {
    duplicateTargets(rows, ctx);
    // The engine sets the manager's id on the target, found through the links from the directory's manager.
    rows.forEach((row, index) => {
      if (row.target === "enterprise.manager" && (row.kind !== "attribute" || row.value !== "managerId"))
        ctx.addIssue({
          code: "custom",
          path: [index, "value"],
          message: "The manager is the manager's id on the target: map it from the attribute managerId.",
        });
    });
    if (!rows.some((r) => r.target === "userName"))
      ctx.addIssue({ code: "custom", path: [], message: "Map userName: the target needs it." });
  });

export const zGroupMapping = z
  .array(zMappingRow)
  .max(20, "At most 20 rows.")
  .superRefine((rows, ctx) => {
    duplicateTargets(rows, ctx);
    if (!rows.some((r) => r.target === "displayName"))
      ctx.addIssue({ code: "custom", path: [], message: "Map displayName: the target needs it." });
  });

/** Save one side of the mapping, or both. */
export const zMappingForm = z.object({ user: zUserMapping.optional(), group: zGroupMapping.optional() });
export type MappingFormValues = z.input<typeof zMappingForm>;

// ─── Groups, runs, logs ─────────────────────────────────────────────────────

/**
 * How groups nested in an assigned group appear on the target (with "Include members of nested
 * groups"): FLATTEN, the parent lists every user below it; NESTED, child groups are members of it.
 */
export const NESTED_GROUPS_ON_TARGET = ["FLATTEN", "NESTED"] as const;
export type NestedGroupsOnTarget = (typeof NESTED_GROUPS_ON_TARGET)[number];

export const zAssignedGroupsInput = z.object({
  groupIds: z.array(z.uuid()).max(1000, "At most 1000 groups."),
  includeNestedGroups: z.boolean().optional(),
  nestedGroupsOnTarget: z.enum(NESTED_GROUPS_ON_TARGET).optional(),
});

export const EXPORT_OPERATION_ACTIONS = [
  "created",
  "updated",
  "matched",
  "deactivated",
  "reactivated",
  "deleted",
  "skipped",
  "renamed",
  "members_added",
  "members_removed",
  "failed",
] as const;
export const EXPORT_OPERATION_RESULTS = ["SUCCESS", "SKIPPED", "ERROR"] as const;

export const zOperationFilters = z.object({
  runId: z.uuid().optional(),
  objectType: z.enum(["USER", "GROUP"]).optional(),
  action: z.enum(EXPORT_OPERATION_ACTIONS).optional(),
  result: z.enum(EXPORT_OPERATION_RESULTS).optional(),
  /** Substring of the userName / group name. */
  search: z.string().trim().max(200).optional(),
});

// ─── Expressions (pure: usable while typing, in the browser) ────────────────

const attributeTypesOf = (objectType: "user" | "group"): Record<string, ValueType> =>
  Object.fromEntries(
    (objectType === "user" ? USER_SOURCE_ATTRIBUTES : GROUP_SOURCE_ATTRIBUTES).map(
      (a) => [a, a === "active" ? "boolean" : "string"] as const,
    ),
  );

/**
 * Parses and type-checks a mapping expression. The same parser the server uses: an expression
 * that passes here passes on save. `position` is the 0-based character offset of the problem.
 */
export function checkExpression(
  expression: string,
  objectType: "user" | "group" = "user",
): { ok: true; type: ValueType } | { ok: false; message: string; position: number } {
  const types = attributeTypesOf(objectType);
  try {
    return { ok: true, type: typeOf(parseExpression(expression, types), types) };
  } catch (error) {
    if (error instanceof ExpressionError) return { ok: false, message: error.message, position: error.position };
    throw error;
  }
}
