import type { DirectoryUser } from "@/generated/prisma/client";
import type { DirectorySource } from "@/generated/prisma/enums";
import type { DirectoryOptions } from "./scope";
import { updateUser } from "./update-user";

/** Deactivates or reactivates a user (SCIM's soft delete: `active: false`). */
export function setUserActive(options: DirectoryOptions & { userId: string; active: boolean; source: DirectorySource }): Promise<DirectoryUser> {
  return updateUser({ tenantId: options.tenantId, tx: options.tx, userId: options.userId, source: options.source, fields: { active: options.active } });
}
