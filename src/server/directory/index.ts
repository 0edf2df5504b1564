/**
 * The tenant directory: the one owner of directory SQL (users, groups, memberships, the change
 * feed, pages and SCIM filters on them). The console (tRPC), SCIM Import and SCIM Export call
 * these functions; every one takes the tenant (and `tx?` where calls compose).
 */
export * from "./user-fields";
export * from "./group-fields";
export { createUser, type CreateUserOptions } from "./create-user";
export { updateUser, type UpdateUserOptions } from "./update-user";
export { setUserActive, writeUserActive, type ActiveWrite, type SetUserActiveOptions } from "./set-user-active";
export { deleteUser } from "./delete-user";
export { getUser, findUser, findUserWithGroups, findUserByUserName } from "./get-user";
export { type UserGroupRef, type UserWithGroups } from "./user-group-refs";
export { filterUsers, type FilterUsersOptions } from "./filter-users";
export { type UsersPage } from "./user-pages";
export { type ScimQuery } from "./scim-columns";
export { listUsers, type ListUsersOptions, type UserPage, type UserSortField, type SortDirection } from "./list-users";
export { createGroup, type CreateGroupOptions } from "./create-group";
export { updateGroup, type UpdateGroupOptions } from "./update-group";
export { deleteGroup } from "./delete-group";
export { getGroup, findGroup, countGroupMembers } from "./get-group";
export {
  addGroupMembers,
  addUsersInOneStatement,
  removeGroupMembers,
  replaceGroupMembers,
  type AddedInOneStatement,
  type MemberDelta,
  type MembershipResult,
} from "./group-members";
export { listGroups, type ListGroupsOptions, type GroupPage, type GroupWithCount } from "./list-groups";
export { type GroupSortField } from "./list-users-types";
export { listGroupMembers, type ListGroupMembersOptions } from "./list-group-members";
export { membersOfGroups, type GroupMemberRef } from "./group-member-refs";
export { filterGroups, type FilterGroupsOptions, type GroupWithMembers } from "./filter-groups";
export { groupsOfUser } from "./groups-of-user";
export { storedExtensionAttributes, type StoredExtensionAttribute } from "./stored-extension-attributes";
export { type DirectoryChangeInput } from "./record-change";
export { inTransaction, type DirectoryOptions, type DirectoryTx } from "./scope";
export { createUserFromConsole, updateUserFromConsole, type ConsoleUserForm } from "./console-user";
