import { GROUP_SOURCE_ATTRIBUTES, USER_SOURCE_ATTRIBUTES } from "@/lib/validation/scim-export";
import { extensionAttributeKey, type ExpressionInput, type ValueType } from "@/lib/mapping-expression";

/** The columns of a directory user that mappings read (what the planner selects). */
export const userSourceSelect = {
  id: true,
  userName: true,
  email: true,
  externalId: true,
  displayName: true,
  givenName: true,
  familyName: true,
  middleName: true,
  formattedName: true,
  honorificPrefix: true,
  honorificSuffix: true,
  nickName: true,
  title: true,
  userType: true,
  preferredLanguage: true,
  locale: true,
  timezone: true,
  active: true,
  phoneNumbers: true,
  employeeNumber: true,
  costCenter: true,
  organization: true,
  division: true,
  department: true,
  managerId: true,
  managerName: true,
  extra: true,
} as const;

export type SourceUser = {
  [K in Exclude<keyof typeof userSourceSelect, "active" | "phoneNumbers" | "id" | "userName" | "extra">]: string | null;
} & { id: string; userName: string; active: boolean; phoneNumbers: unknown; extra: unknown };

export type SourceGroup = { id: string; displayName: string; externalId: string | null; description: string | null };

export const groupSourceSelect = { id: true, displayName: true, externalId: true, description: true } as const;

export const userAttributeTypes: Record<string, ValueType> = Object.fromEntries(
  USER_SOURCE_ATTRIBUTES.map((a) => [a, a === "active" ? "boolean" : "string"]),
);
export const groupAttributeTypes: Record<string, ValueType> = Object.fromEntries(GROUP_SOURCE_ATTRIBUTES.map((a) => [a, "string"]));

export function userInput(user: SourceUser): ExpressionInput {
  const phones = Array.isArray(user.phoneNumbers) ? (user.phoneNumbers as { value?: unknown; primary?: unknown }[]) : [];
  const phone = phones.find((p) => p?.primary === true) ?? phones[0];
  const { phoneNumbers: _phones, extra, ...rest } = user;
  return { ...rest, ...extensionInput(extra), phoneNumber: typeof phone?.value === "string" ? phone.value : null };
}

/**
 * Custom extension attributes SCIM Import keeps in `extra` under their schema URN, as mapping
 * inputs keyed `urn:…:user:costcenter` (lower case: mapping-expression.ts `extensionAttributeKey`).
 */
function extensionInput(extra: unknown): ExpressionInput {
  const input: Record<string, string | number | boolean> = {};
  if (typeof extra !== "object" || extra === null) return input;
  for (const [urn, values] of Object.entries(extra)) {
    if (!/^urn:/i.test(urn) || typeof values !== "object" || values === null || Array.isArray(values)) continue;
    for (const [name, value] of Object.entries(values)) {
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
        input[extensionAttributeKey(`${urn}:${name}`)] = value;
      }
    }
  }
  return input;
}

export function groupInput(group: SourceGroup): ExpressionInput {
  return { ...group };
}
