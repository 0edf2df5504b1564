import type { Role } from "@/generated/prisma/enums";

/** What each role may do. Enforced by tRPC middleware; the UI only mirrors it. */
const permissions = {
  read: ["OWNER", "ADMIN", "VIEWER"],
  write: ["OWNER", "ADMIN"],
  manageMembers: ["OWNER", "ADMIN"],
  manageOwners: ["OWNER"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export function can(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}
