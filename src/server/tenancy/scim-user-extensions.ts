import { Prisma } from "@/generated/prisma/client";
import { readUserExtensionSettings, zUserExtensionSettings, type UserExtensionSettings } from "@/lib/validation/scim-extensions";
import { db } from "../db";

/**
 * A tenant's SCIM User extension settings (declared extension schemas, and whether undeclared ones
 * are accepted), stored on the tenant. SCIM Import reads them with every token check
 * (scim-tokens.ts); a trigger tells every server when they change.
 */
export async function readScimUserExtensions(options: { tenantId: string }): Promise<UserExtensionSettings> {
  const tenant = await db().tenant.findUnique({ where: { id: options.tenantId }, select: { scimUserExtensions: true } });
  return readUserExtensionSettings(tenant?.scimUserExtensions);
}

/** Replaces the settings (validated again here: the procedure is not the only caller). */
export async function writeScimUserExtensions(options: {
  tenantId: string;
  settings: UserExtensionSettings;
}): Promise<UserExtensionSettings> {
  const settings = zUserExtensionSettings.parse(options.settings);
  await db().tenant.update({
    where: { id: options.tenantId },
    data: { scimUserExtensions: settings as unknown as Prisma.InputJsonValue },
  });
  return settings;
}
