import { Prisma } from "@/generated/prisma/client";
import {
  GROUP_RESOURCE,
  SCHEMA,
  ScimError,
  USER_RESOURCE,
  filterToSql,
  sortToSql,
  sql,
  type ListQuery,
  type ResolvedFilter,
  type ResourceDef,
  type Sql,
  type SqlMapping,
} from "../scim";
import { isUuid } from "./ids";
import { userNameKey } from "./user-fields";

/**
 * Where each SCIM attribute of a directory user or group is stored, so that SCIM filters and
 * sortBy (RFC 7644 §3.4.2.2–3) become SQL here, next to the tables, by the SCIM core's translation
 * (filter-to-sql.ts). SCIM Import hands the parsed query over and never sees a column.
 */
export type ScimQuery = Pick<ListQuery, "filter" | "sortBy" | "sortOrder">;

const E = SCHEMA.enterpriseUser;

/** `groups pr`, `groups.value eq "id"`, `groups[value eq "id"]`: through the membership table. */
function groupsPredicate(node: ResolvedFilter): Sql {
  if (node.kind === "present") return sql`EXISTS (SELECT 1 FROM "GroupMember" gm WHERE gm."userId" = u.id)`;
  const inner = node.kind === "valuePath" ? node.filter : undefined;
  if (inner?.kind === "compare" && inner.op === "eq" && inner.attr.subAttribute?.name === "value" && typeof inner.value === "string") {
    if (!isUuid(inner.value)) return sql`FALSE`;
    return sql`EXISTS (SELECT 1 FROM "GroupMember" gm WHERE gm."userId" = u.id AND gm."groupId" = CAST(${inner.value} AS uuid))`;
  }
  throw ScimError.invalidFilter('Users can be filtered by group only with groups.value eq "<group id>" or groups pr');
}

/** Filters and sortBy on `DirectoryUser u`. */
export const USER_COLUMNS: SqlMapping = {
  resource: USER_RESOURCE,
  columns: {
    id: { kind: "uuid", column: "u.id" },
    externalId: { kind: "text", column: 'u."externalId"' },
    // The key is canonical (trimmed, NFKC, lower case): a compared value is keyed the same way, so
    // "ａｌｉｃｅ@x" finds alice@x, and the lookup stays an index scan on (tenantId, userNameKey).
    userName: { kind: "text", column: 'u."userName"', lowerColumn: 'u."userNameKey"', keyOf: userNameKey },
    displayName: { kind: "text", column: 'u."displayName"' },
    nickName: { kind: "text", column: 'u."nickName"' },
    profileUrl: { kind: "text", column: 'u."profileUrl"' },
    title: { kind: "text", column: "u.title" },
    userType: { kind: "text", column: 'u."userType"' },
    preferredLanguage: { kind: "text", column: 'u."preferredLanguage"' },
    locale: { kind: "text", column: "u.locale" },
    timezone: { kind: "text", column: "u.timezone" },
    active: { kind: "boolean", column: "u.active" },
    "name.formatted": { kind: "text", column: 'u."formattedName"' },
    "name.familyName": { kind: "text", column: 'u."familyName"' },
    "name.givenName": { kind: "text", column: 'u."givenName"' },
    "name.middleName": { kind: "text", column: 'u."middleName"' },
    "name.honorificPrefix": { kind: "text", column: 'u."honorificPrefix"' },
    "name.honorificSuffix": { kind: "text", column: 'u."honorificSuffix"' },
    emails: { kind: "jsonArray", column: "u.emails" },
    phoneNumbers: { kind: "jsonArray", column: 'u."phoneNumbers"' },
    addresses: { kind: "jsonArray", column: "u.addresses" },
    "meta.created": { kind: "timestamp", column: 'u."createdAt"' },
    "meta.lastModified": { kind: "timestamp", column: 'u."updatedAt"' },
    [`${E}:employeeNumber`]: { kind: "text", column: 'u."employeeNumber"' },
    [`${E}:costCenter`]: { kind: "text", column: 'u."costCenter"' },
    [`${E}:organization`]: { kind: "text", column: "u.organization" },
    [`${E}:division`]: { kind: "text", column: "u.division" },
    [`${E}:department`]: { kind: "text", column: "u.department" },
    [`${E}:manager.value`]: { kind: "text", column: 'u."managerId"' },
    [`${E}:manager.displayName`]: { kind: "text", column: 'u."managerName"' },
    groups: { kind: "custom", toSql: groupsPredicate },
  },
  // ims, roles, entitlements… are stored under their names in `extra`.
  document: "u.extra",
};

/** `members[value eq "id"]`, `members.value eq "id"`, `members pr`: through the membership tables. */
function membersPredicate(node: ResolvedFilter): Sql {
  const any = sql`(EXISTS (SELECT 1 FROM "GroupMember" gm WHERE gm."groupId" = g.id) OR EXISTS (SELECT 1 FROM "GroupNesting" gn WHERE gn."parentId" = g.id))`;
  if (node.kind === "present") return any;
  const inner = node.kind === "valuePath" ? node.filter : undefined;
  if (inner?.kind === "compare" && inner.op === "eq" && inner.attr.subAttribute?.name === "value" && typeof inner.value === "string") {
    if (!isUuid(inner.value)) return sql`FALSE`;
    return sql`(EXISTS (SELECT 1 FROM "GroupMember" gm WHERE gm."groupId" = g.id AND gm."userId" = CAST(${inner.value} AS uuid)) OR EXISTS (SELECT 1 FROM "GroupNesting" gn WHERE gn."parentId" = g.id AND gn."childId" = CAST(${inner.value} AS uuid)))`;
  }
  throw ScimError.invalidFilter('Groups can be filtered by member only with members.value eq "<id>" or members pr');
}

/** Filters and sortBy on `DirectoryGroup g`. */
const GROUP_COLUMNS: SqlMapping = {
  resource: GROUP_RESOURCE,
  columns: {
    id: { kind: "uuid", column: "g.id" },
    externalId: { kind: "text", column: 'g."externalId"' },
    displayName: { kind: "text", column: 'g."displayName"', lowerColumn: 'g."displayNameKey"' },
    "meta.created": { kind: "timestamp", column: 'g."createdAt"' },
    "meta.lastModified": { kind: "timestamp", column: 'g."updatedAt"' },
    members: { kind: "custom", toSql: membersPredicate },
  },
  document: "g.extra",
};

/** The pure core's SQL fragment as Prisma's: strings and parameters carried over unchanged. */
function toPrismaSql(fragment: Sql): Prisma.Sql {
  return Prisma.sql([...fragment.strings], ...(fragment.values as Prisma.Sql[]));
}

const { sql: prismaSql, join } = Prisma;

/**
 * The user mapping for a tenant's User resource: its extension attributes (declared or not) are
 * read from `extra`, where they are kept under their schema URN (the mapping's `document`).
 */
function userColumns(userResource: ResourceDef | undefined): SqlMapping {
  return userResource === undefined || userResource === USER_RESOURCE ? USER_COLUMNS : { ...USER_COLUMNS, resource: userResource };
}

/** A trusted predicate on `DirectoryUser u`: the tenant first, then the client's filter. */
export function userWhere(tenantId: string, query: Pick<ScimQuery, "filter">, userResource?: ResourceDef): Prisma.Sql {
  const parts = [prismaSql`u."tenantId" = ${tenantId}::uuid`];
  if (query.filter) parts.push(toPrismaSql(filterToSql(query.filter, userColumns(userResource))));
  return join(parts, " AND ");
}

/** A trusted predicate on `DirectoryGroup g`: the tenant first, then the client's filter. */
export function groupWhere(tenantId: string, query: Pick<ScimQuery, "filter">): Prisma.Sql {
  const parts = [prismaSql`g."tenantId" = ${tenantId}::uuid`];
  if (query.filter) parts.push(toPrismaSql(filterToSql(query.filter, GROUP_COLUMNS)));
  return join(parts, " AND ");
}

/** The client's sortBy on users, else creation order; always ending in `id`, so pages never overlap. */
export function userOrder(query: ScimQuery, userResource?: ResourceDef): Prisma.Sql {
  return query.sortBy
    ? prismaSql`${toPrismaSql(sortToSql(query.sortBy, query.sortOrder, userColumns(userResource)))}, u.id`
    : prismaSql`u."createdAt", u.id`;
}

/** The client's sortBy on groups, else creation order; always ending in `id`. */
export function groupOrder(query: ScimQuery): Prisma.Sql {
  return query.sortBy
    ? prismaSql`${toPrismaSql(sortToSql(query.sortBy, query.sortOrder, GROUP_COLUMNS))}, g.id`
    : prismaSql`g."createdAt", g.id`;
}
