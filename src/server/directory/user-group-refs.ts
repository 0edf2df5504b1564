/**
 * Users with their direct groups as SCIM's User.groups shows them (id and name), read in the same
 * statement as the users wherever possible.
 */
import { Prisma } from "@/generated/prisma/client";

const { sql, raw } = Prisma;

/** A group as a user's row shows it (SCIM's User.groups: id and name). */
export type UserGroupRef = { id: string; displayName: string };

/** A user with its direct groups; `groups` undefined when they were not asked for. */
export type UserWithGroups<User> = { user: User; groups: UserGroupRef[] | undefined };

/**
 * A column for a query on users: the direct groups of the user row aliased `alias`, by name, as
 * one JSON array named "scimGroups" (null when none), so that users and their groups are one statement.
 */
export function groupsColumn(alias: "p" | "r" | "u"): Prisma.Sql {
  return sql`(SELECT json_agg(json_build_object('id', g.id, 'displayName', g."displayName") ORDER BY g."displayNameKey")
    FROM "GroupMember" m JOIN "DirectoryGroup" g ON g.id = m."groupId" WHERE m."userId" = ${raw(alias)}.id) AS "scimGroups"`;
}

/** A row read with `groupsColumn` as the user and its groups (none when `withGroups` is false). */
export function splitGroups<User>(row: User & { scimGroups?: UserGroupRef[] | null }, withGroups: boolean): UserWithGroups<User> {
  const { scimGroups, ...user } = row;
  return { user: user as User, groups: withGroups ? (scimGroups ?? []) : undefined };
}
