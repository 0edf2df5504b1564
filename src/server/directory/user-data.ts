import type { UserFields } from "./user-fields";

/** The writable fields of a stored row, for merging a partial change into it. */
export function fieldsOf(row: Record<keyof UserFields, unknown>): UserFields {
  return {
    userName: row.userName as string,
    externalId: row.externalId as string | null,
    displayName: row.displayName as string | null,
    givenName: row.givenName as string | null,
    familyName: row.familyName as string | null,
    middleName: row.middleName as string | null,
    formattedName: row.formattedName as string | null,
    honorificPrefix: row.honorificPrefix as string | null,
    honorificSuffix: row.honorificSuffix as string | null,
    nickName: row.nickName as string | null,
    profileUrl: row.profileUrl as string | null,
    title: row.title as string | null,
    userType: row.userType as string | null,
    preferredLanguage: row.preferredLanguage as string | null,
    locale: row.locale as string | null,
    timezone: row.timezone as string | null,
    active: row.active as boolean,
    emails: (row.emails ?? []) as UserFields["emails"],
    phoneNumbers: (row.phoneNumbers ?? []) as UserFields["phoneNumbers"],
    addresses: (row.addresses ?? []) as UserFields["addresses"],
    employeeNumber: row.employeeNumber as string | null,
    costCenter: row.costCenter as string | null,
    organization: row.organization as string | null,
    division: row.division as string | null,
    department: row.department as string | null,
    managerId: row.managerId as string | null,
    managerName: row.managerName as string | null,
    extra: (row.extra ?? {}) as UserFields["extra"],
  };
}

/** The fields of `change` whose value differs from `current`. */
export function changedFields(current: UserFields, change: Partial<UserFields>): Partial<UserFields> {
  const changed: Partial<UserFields> = {};
  for (const key of Object.keys(change) as (keyof UserFields)[]) {
    if (change[key] === undefined) continue;
    if (JSON.stringify(change[key]) !== JSON.stringify(current[key])) (changed as Record<string, unknown>)[key] = change[key];
  }
  return changed;
}
