import { Prisma } from "@/generated/prisma/client";
import { sqlRows } from "../db/sql";
import type { DirectoryOptions } from "./scope";

/** An extension attribute some user of the tenant holds: its schema URN and name, as first stored. */
export type StoredExtensionAttribute = { urn: string; name: string };

/**
 * The distinct (extension URN, attribute name) pairs present in the tenant's users' stored data
 * (SCIM Import keeps custom extension values in `extra` under their URN). /Schemas advertises them
 * when the tenant keeps undeclared extensions. A pass over every user of the tenant ("scan"):
 * discovery is rare (an IdP reads it when an admin sets the app up), so this is not worth an index
 * or a cache.
 */
export async function storedExtensionAttributes(options: DirectoryOptions): Promise<StoredExtensionAttribute[]> {
  const rows = await sqlRows<StoredExtensionAttribute>(
    Prisma.sql`SELECT DISTINCT ext.key AS urn, attr.key AS name
      FROM "DirectoryUser" u
      CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(u.extra) = 'object' THEN u.extra ELSE '{}'::jsonb END) ext
      CROSS JOIN LATERAL jsonb_object_keys(CASE WHEN jsonb_typeof(ext.value) = 'object' THEN ext.value ELSE '{}'::jsonb END) attr(key)
      WHERE u."tenantId" = ${options.tenantId}::uuid AND ext.key ILIKE 'urn:%'
      ORDER BY 1, 2`,
    { kind: "scan", tx: options.tx },
  );
  return rows;
}
