import { Prisma } from "@/generated/prisma/client";
import { readUserExtensionSettings, zUserExtensionSettings, type UserExtensionSettings } from "@/lib/validation/scim-extensions";
import { recordAudit } from "../audit/record";
import { db } from "../db";
import { sqlRows } from "../db/sql";

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

/**
 * Read-modify-write of the settings as one step: the tenant's row is locked (FOR UPDATE) from the
 * read to the write, so two admins declaring attributes at once both keep their edit instead of
 * the later write replacing the earlier one. `change` sees the settings as committed and may throw
 * (nothing is written then).
 */
export async function changeScimUserExtensions(options: {
  tenantId: string;
  change: (settings: UserExtensionSettings) => UserExtensionSettings;
}): Promise<UserExtensionSettings> {
  return db().$transaction(async (tx) => {
    const [row] = await sqlRows<{ scimUserExtensions: unknown }>(
      Prisma.sql`SELECT "scimUserExtensions" FROM "Tenant" WHERE id = ${options.tenantId}::uuid FOR UPDATE`,
      { kind: "point", tx },
    );
    const before = readUserExtensionSettings(row?.scimUserExtensions);
    const settings = zUserExtensionSettings.parse(options.change(before));
    await tx.tenant.update({
      where: { id: options.tenantId },
      data: { scimUserExtensions: settings as unknown as Prisma.InputJsonValue },
    });
    await recordAudit(tx, {
      tenantId: options.tenantId,
      action: "scim_import.user_extensions_changed",
      target: { type: "scim_import", name: "Custom user attributes" },
      before,
      after: settings,
    });
    return settings;
  });
}
