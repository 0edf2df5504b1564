import { getGroup } from "./get-group";
import { listUsers, type ListUsersOptions, type UserPage } from "./list-users";

export type ListGroupMembersOptions = Omit<ListUsersOptions, "groupId"> & { groupId: string };

/** A page of the group's direct user members, searchable and sorted like the user list. NOT_FOUND for another tenant's group. */
export async function listGroupMembers(options: ListGroupMembersOptions): Promise<UserPage> {
  await getGroup({ tenantId: options.tenantId, tx: options.tx, groupId: options.groupId });
  return listUsers(options);
}
