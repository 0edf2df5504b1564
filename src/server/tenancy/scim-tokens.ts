import { Prisma } from "@/generated/prisma/client";
import { db } from "../db";
import { sqlRows } from "../db/sql";
import { recordAudit } from "../audit/record";

/**
 * A tenant's SCIM Import token as stored: its SHA-256 and a prefix to recognise it by, never the
 * token. Issuing and checking tokens is SCIM Import's (scim-import/tokens.ts); these are its rows.
 */

/** Stores the tenant's token hash, replacing any earlier token (its lastUsedAt starts over). */
export async function storeScimToken(options: { tenantId: string; tokenHash: string; prefix: string }): Promise<{ createdAt: Date }> {
  const { tenantId, tokenHash, prefix } = options;
  return db().$transaction(async (tx) => {
    const before = await tx.scimToken.findUnique({ where: { tenantId }, select: { prefix: true, createdAt: true } });
    const row = await tx.scimToken.upsert({
      where: { tenantId },
      create: { tenantId, tokenHash, prefix },
      update: { tokenHash, prefix, createdAt: new Date(), lastUsedAt: null },
      select: { createdAt: true },
    });
    // The prefix only: it tells tokens apart and opens nothing.
    await recordAudit(tx, {
      tenantId,
      action: "scim_token.generated",
      target: { type: "scim_token", name: prefix },
      before: before && { prefix: before.prefix, createdAt: before.createdAt },
      after: { prefix, createdAt: row.createdAt },
    });
    return row;
  });
}

/** What the console shows about the token: never the token or its hash. */
export async function describeScimToken(options: {
  tenantId: string;
}): Promise<{ prefix: string; createdAt: Date; lastUsedAt: Date | null } | null> {
  return db().scimToken.findUnique({ where: { tenantId: options.tenantId }, select: { prefix: true, createdAt: true, lastUsedAt: true } });
}

export type StoredScimToken = {
  id: string;
  slug: string;
  tokenId: string | null;
  tokenHash: string | null;
  lastUsedAt: Date | null;
  /** The tenant's SCIM User extension settings as stored (read with the token: no query more per request). */
  scimUserExtensions: unknown;
};

/** The tenant with this slug and its token row, if any, in one point statement (every SCIM request not remembered pays it). */
export async function findScimTokenOfSlug(unverifiedSlug: string): Promise<StoredScimToken | null> {
  const rows = await sqlRows<StoredScimToken>(
    Prisma.sql`
    SELECT t.id, t.slug, s.id AS "tokenId", s."tokenHash", s."lastUsedAt", t."scimUserExtensions"
    FROM "Tenant" t LEFT JOIN "ScimToken" s ON s."tenantId" = t.id WHERE t.slug = ${unverifiedSlug}`,
    { kind: "point" },
  );
  return rows[0] ?? null;
}

/** Notes when the token was last used. */
export async function touchScimToken(options: { tokenId: string; at: Date }): Promise<void> {
  await db().scimToken.updateMany({ where: { id: options.tokenId }, data: { lastUsedAt: options.at } });
}
