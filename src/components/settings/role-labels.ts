import type { TenantRole } from "../shell/tenant-context";

export const roleLabel: Record<TenantRole, string> = { OWNER: "Owner", ADMIN: "Admin", VIEWER: "Viewer" };
export const roleDescription: Record<TenantRole, string> = {
  OWNER: "Everything, including roles and removing members",
  ADMIN: "Changes users, groups, provisioning and sign-in; invites members",
  VIEWER: "Sees everything, changes nothing",
};
export const roleOptions = (["OWNER", "ADMIN", "VIEWER"] as const).map((value) => ({ value, label: roleLabel[value] }));
