import type { DirectoryGroup } from "@/generated/prisma/client";
import type { GroupMemberRef } from "../directory";
import { SCHEMA, etagFromVersion, type JsonObject } from "../scim";

function groupLocation(baseUrl: string, id: string): string {
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
