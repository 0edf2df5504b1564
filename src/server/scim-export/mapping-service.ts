import {
  GROUP_SOURCE_ATTRIBUTES,
  GROUP_TARGET_ATTRIBUTES,
  USER_SOURCE_ATTRIBUTES,
  USER_TARGET_ATTRIBUTES,
  zMappingForm,
  zMappingRow,
  type MappingFormValues,
  type MappingRow,
} from "@/lib/validation/scim-export";
import { recordAudit } from "../audit/record";
import { db } from "../db";
import { isUuid } from "../directory/ids";
import { AppError } from "../errors";
import { FUNCTIONS, isExtensionAttribute } from "@/lib/mapping-expression";
import { defaultGroupMapping, defaultUserMapping } from "./mapping/defaults";
import { compileMapping, renderMapping, type MappingProblem } from "./mapping/render";
import {
  groupAttributeTypes,
  groupInput,
  groupSourceSelect,
  userAttributeTypes,
  userInput,
  userSourceSelect,
  type SourceGroup,
  type SourceUser,
} from "./mapping/source-values";
import { requireProfile, type ProfileScoped } from "./profiles";
import { buildResource } from "./scim-resource";
import { scopeGroupIds, userInScope } from "./scope";
import type { ExportMapping, MappingPreview } from "./types";

const TARGET_PATTERN = /^(enterprise\.)?[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)?$/;

/** Stored mapping rows, tolerant of older shapes (a row that no longer parses is dropped). */
export function storedRows(value: unknown): MappingRow[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((row) => {
    const parsed = zMappingRow.safeParse(row);
    return parsed.success ? [parsed.data] : [];
  });
}

export async function getExportMapping(options: ProfileScoped): Promise<ExportMapping> {
  const row = await requireProfile(options, { userMapping: true, groupMapping: true });
  return {
    user: storedRows(row.userMapping),
    group: storedRows(row.groupMapping),
    userSourceAttributes: USER_SOURCE_ATTRIBUTES,
    groupSourceAttributes: GROUP_SOURCE_ATTRIBUTES,
    userTargetAttributes: USER_TARGET_ATTRIBUTES,
    groupTargetAttributes: GROUP_TARGET_ATTRIBUTES,
    functions: Object.entries(FUNCTIONS).map(([name, spec]) => ({ name, help: spec.help })),
  };
}

function problemsAsError(side: "user" | "group", rows: MappingRow[], problems: MappingProblem[]): AppError | null {
  // An extension attribute of the target by its full path (urn:…:2.0:User:costCenter) is one too.
  const bad = rows.findIndex((r) => !TARGET_PATTERN.test(r.target) && !isExtensionAttribute(r.target));
  if (bad >= 0)
    return new AppError("BAD_REQUEST", `"${rows[bad]!.target}" is not a SCIM attribute name.`, { field: `${side}.${bad}.target` });
  const first = problems[0];
  if (!first) return null;
  return new AppError("BAD_REQUEST", first.message, { field: `${side}.${first.index}.${first.field}` });
}

/**
 * Saves the user mapping, the group mapping, or both. Every expression is parsed and
 * type-checked; the first problem is a BAD_REQUEST whose `field` is e.g. "user.3.value".
 */
export async function updateExportMapping(options: ProfileScoped & { input: MappingFormValues }): Promise<{ id: string }> {
  const input = zMappingForm.parse(options.input);
  const before = await requireProfile(options, { name: true, userMapping: true, groupMapping: true });
  for (const side of ["user", "group"] as const) {
    const rows = input[side];
    if (!rows) continue;
    const { problems } = compileMapping(rows, side === "user" ? userAttributeTypes : groupAttributeTypes);
    const error = problemsAsError(side, rows, problems);
    if (error) throw error;
  }
  await db().$transaction(async (tx) => {
    await tx.exportProfile.update({
      where: { id: options.profileId },
      data: { ...(input.user ? { userMapping: input.user } : {}), ...(input.group ? { groupMapping: input.group } : {}) },
      select: { id: true },
    });
    await recordAudit(tx, {
      tenantId: options.tenantId,
      action: "export_profile.mapping_saved",
      target: { type: "export_profile", id: options.profileId, name: before.name },
      before: { ...(input.user ? { userMapping: before.userMapping } : {}), ...(input.group ? { groupMapping: before.groupMapping } : {}) },
      after: { ...(input.user ? { userMapping: input.user } : {}), ...(input.group ? { groupMapping: input.group } : {}) },
    });
  });
  return { id: options.profileId };
}

/** Puts back the type's default mapping (both sides). */
export async function resetExportMapping(options: ProfileScoped): Promise<{ id: string }> {
  const row = await requireProfile(options, { id: true, type: true, name: true, userMapping: true, groupMapping: true });
  const defaults = { userMapping: defaultUserMapping(row.type), groupMapping: defaultGroupMapping(row.type) };
  await db().$transaction(async (tx) => {
    await tx.exportProfile.update({ where: { id: row.id }, data: defaults, select: { id: true } });
    await recordAudit(tx, {
      tenantId: options.tenantId,
      action: "export_profile.mapping_reset",
      target: { type: "export_profile", id: row.id, name: row.name },
      before: { userMapping: row.userMapping, groupMapping: row.groupMapping },
      after: defaults,
    });
  });
  return { id: row.id };
}

/**
 * Renders the exact create body for one directory user (or group), through the given unsaved
 * rows or the stored mapping. Without a subject it only checks the rows (`problems`), so the
 * console can show errors under each field while typing.
 */
export async function previewExportMapping(
  options: ProfileScoped & { object?: "user" | "group"; userId?: string; groupId?: string; mapping?: MappingRow[] },
): Promise<MappingPreview> {
  const object = options.object ?? (options.groupId ? "group" : "user");
  const profile = await requireProfile(options, { id: true, userMapping: true, groupMapping: true, includeNestedGroups: true });
  const rows = options.mapping
    ? options.mapping.map((r) => zMappingRow.parse(r))
    : storedRows(object === "user" ? profile.userMapping : profile.groupMapping);
  const { rows: compiled, problems } = compileMapping(rows, object === "user" ? userAttributeTypes : groupAttributeTypes);
  const problemList = problems.map((p) => ({ index: p.index, message: p.message, position: p.position }));
  if (object === "group") {
    if (!options.groupId) return { createBody: {}, attributes: {}, problems: problemList, inScope: null };
    if (!isUuid(options.groupId)) throw AppError.notFound("This group");
    const group = (await db().directoryGroup.findFirst({
      where: { id: options.groupId, tenantId: options.tenantId },
      select: groupSourceSelect,
    })) as SourceGroup | null;
    if (!group) throw AppError.notFound("This group");
    const { always, createOnly } = renderMapping(compiled, groupInput(group));
    const scope = await scopeGroupIds({ profileId: profile.id, includeNestedGroups: profile.includeNestedGroups });
    return {
      createBody: buildResource("group", { ...createOnly, ...always }),
      attributes: always,
      problems: problemList,
      inScope: scope.includes(group.id),
    };
  }
  if (!options.userId) return { createBody: {}, attributes: {}, problems: problemList, inScope: null };
  if (!isUuid(options.userId)) throw AppError.notFound("This user");
  const user = (await db().directoryUser.findFirst({
    where: { id: options.userId, tenantId: options.tenantId },
    select: userSourceSelect,
  })) as SourceUser | null;
  if (!user) throw AppError.notFound("This user");
  const { always, createOnly } = renderMapping(compiled, userInput(user));
  return {
    createBody: buildResource("user", { ...createOnly, ...always }),
    attributes: always,
    problems: problemList,
    inScope: await userInScope({
      tenantId: options.tenantId,
      profileId: profile.id,
      userId: user.id,
      includeNestedGroups: profile.includeNestedGroups,
    }),
  };
}
