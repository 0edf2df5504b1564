/**
 * The tenant directory: the one place that writes directory users and groups. The console (tRPC)
 * and SCIM Import both call these functions; every one takes `{ tenantId, tx? }`.
 */
export * from "./user-fields";
export * from "./group-fields";
export { createUser, type CreateUserOptions } from "./create-user";
export { updateUser, type UpdateUserOptions } from "./update-user";
export { setUserActive } from "./set-user-active";
export { deleteUser } from "./delete-user";
export { getUser, findUser, findUserByUserName } from "./get-user";
export { listUsers, USER_SORT_FIELDS, MAX_PAGE_SIZE, SEARCH_COUNT_CAP, type ListUsersOptions, type UserPage, type UserSortField, type SortDirection } from "./list-users";
export { createGroup, type CreateGroupOptions } from "./create-group";
export { updateGroup, type UpdateGroupOptions } from "./update-group";
export { deleteGroup } from "./delete-group";
export { getGroup, findGroup, findGroupByDisplayName, countGroupMembers } from "./get-group";
export { addGroupMembers, removeGroupMembers, replaceGroupMembers, type MemberDelta, type MembershipResult } from "./group-members";
export { listGroups, GROUP_SORT_FIELDS, type ListGroupsOptions, type GroupPage, type GroupWithCount, type GroupSortField } from "./list-groups";
export { listGroupMembers, type ListGroupMembersOptions } from "./list-group-members";
export { groupsOfUser } from "./groups-of-user";
export { recordChange, recordChanges, type DirectoryChangeInput } from "./record-change";
export { inTenant, inTransaction, type DirectoryOptions } from "./scope";
export { createUserFromConsole, updateUserFromConsole, fieldsFromConsoleForm, type ConsoleUserForm } from "./console-user";
