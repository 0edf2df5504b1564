import type { DirectoryGroup } from "@/generated/prisma/client";
import { GROUP_RESOURCE, SCHEMA, ScimError, etagFromVersion, sql, type JsonObject, type ResolvedFilter, type Sql, type SqlMapping } from "../scim";

export type GroupMemberRef = { id: string; display: string | null; type: "User" | "Group" };

export function groupLocation(baseUrl: string, id: string): string {
  return `${baseUrl}/Groups/${id}`;
}

/** A directory group as a SCIM Group (RFC 7643 §4.2). `members` undefined: not loaded (excluded). */
export function toScimGroup(group: DirectoryGroup, baseUrl: string, members?: readonly GroupMemberRef[]): JsonObject {
  return {
    schemas: [SCHEMA.group],
    id: group.id,
    ...(group.externalId !== null ? { externalId: group.externalId } : {}),
    displayName: group.displayName,
    ...(members && members.length > 0
      ? {
          members: members.map((m) => ({
            value: m.id,
            ...(m.display !== null ? { display: m.display } : {}),
            type: m.type,
            $ref: `${baseUrl}/${m.type === "User" ? "Users" : "Groups"}/${m.id}`,
          })),
        }
      : {}),
    meta: {
      resourceType: "Group",
      created: group.createdAt.toISOString(),
      lastModified: group.updatedAt.toISOString(),
      location: groupLocation(baseUrl, group.id),
      version: etagFromVersion(group.version),
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `members[value eq "id"]`, `members.value eq "id"`, `members pr`: through the membership tables. */
function membersPredicate(node: ResolvedFilter): Sql {
  const any = sql`(EXISTS (SELECT 1 FROM "GroupMember" gm WHERE gm."groupId" = g.id) OR EXISTS (SELECT 1 FROM "GroupNesting" gn WHERE gn."parentId" = g.id))`;
  if (node.kind === "present") return any;
  const inner = node.kind === "valuePath" ? node.filter : undefined;
  if (inner?.kind === "compare" && inner.op === "eq" && inner.attr.subAttribute?.name === "value" && typeof inner.value === "string") {
    if (!UUID.test(inner.value)) return sql`FALSE`;
    return sql`(EXISTS (SELECT 1 FROM "GroupMember" gm WHERE gm."groupId" = g.id AND gm."userId" = CAST(${inner.value} AS uuid)) OR EXISTS (SELECT 1 FROM "GroupNesting" gn WHERE gn."parentId" = g.id AND gn."childId" = CAST(${inner.value} AS uuid)))`;
  }
  throw ScimError.invalidFilter('Groups can be filtered by member only with members.value eq "<id>" or members pr');
}

/** Where each SCIM Group attribute lives: filters and sortBy become SQL on `DirectoryGroup g`. */
export const GROUP_SQL_MAPPING: SqlMapping = {
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
