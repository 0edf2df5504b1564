/**
 * The tenant overview (the console's landing page): what happened in the last 24 hours and what
 * needs attention, each part small and read with its own bounded query (counts over an indexed
 * window, the newest few rows, one row per profile).
 */
import { db } from "../db";

export const OVERVIEW_WINDOW_MS = 24 * 3_600_000;
/** Certificates expiring within this many days are listed. */
export const CERT_WARNING_DAYS = 30;

export type TenantOverview = {
  since: Date;
  provisioned: { usersCreated: number; groupsCreated: number; usersTotal: number; groupsTotal: number };
  scimImport: { lastRequestAt: Date | null; lastStatus: number | null; requests24h: number; errors24h: number; tokenSet: boolean };
  exportProfiles: {
    id: string;
    name: string;
    enabled: boolean;
    lastSyncAt: Date | null;
    lastSyncStatus: string | null;
    nextSyncAt: Date | null;
    quarantinedUntil: Date | null;
    quarantineReason: string | null;
    consecutiveFailures: number;
    /** Failing (last run FAILED) or quarantined: listed under "needs attention". */
    attention: boolean;
  }[];
  expiringCertificates: { profileId: string; name: string; expiresAt: Date; expired: boolean }[];
  refusals: { id: string; at: Date; email: string | null; profileName: string | null; reason: string | null; detail: string | null }[];
};

export async function tenantOverview(options: { tenantId: string; now?: Date }): Promise<TenantOverview> {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - OVERVIEW_WINDOW_MS);
  const certLimit = new Date(now.getTime() + CERT_WARNING_DAYS * 86_400_000);
  const { tenantId } = options;
  const [usersCreated, groupsCreated, usersTotal, groupsTotal, lastEvent, requests24h, errors24h, token, profiles, certs, refusals] =
    await Promise.all([
      db().directoryUser.count({ where: { tenantId, createdAt: { gte: since } } }),
      db().directoryGroup.count({ where: { tenantId, createdAt: { gte: since } } }),
      db().directoryUser.count({ where: { tenantId } }),
      db().directoryGroup.count({ where: { tenantId } }),
      db().provisioningEvent.findFirst({
        where: { tenantId },
        orderBy: [{ at: "desc" }, { id: "desc" }],
        select: { at: true, status: true },
      }),
      db().provisioningEvent.count({ where: { tenantId, at: { gte: since } } }),
      db().provisioningEvent.count({ where: { tenantId, at: { gte: since }, status: { gte: 400 } } }),
      db().scimToken.findFirst({ where: { tenantId }, select: { id: true } }),
      db().exportProfile.findMany({
        where: { tenantId },
        orderBy: { name: "asc" },
        select: {
          id: true,
          name: true,
          enabled: true,
          lastSyncAt: true,
          lastSyncStatus: true,
          nextSyncAt: true,
          quarantinedUntil: true,
          quarantineReason: true,
          consecutiveFailures: true,
        },
      }),
      db().authenticationProfile.findMany({
        where: { tenantId, idpCertExpiresAt: { not: null, lte: certLimit } },
        orderBy: { idpCertExpiresAt: "asc" },
        select: { id: true, name: true, idpCertExpiresAt: true },
      }),
      db().signInEvent.findMany({
        where: { tenantId, outcome: "REFUSED" },
        orderBy: [{ at: "desc" }, { id: "desc" }],
        take: 5,
        select: { id: true, at: true, email: true, profileName: true, reason: true, detail: true },
      }),
    ]);
  return {
    since,
    provisioned: { usersCreated, groupsCreated, usersTotal, groupsTotal },
    scimImport: { lastRequestAt: lastEvent?.at ?? null, lastStatus: lastEvent?.status ?? null, requests24h, errors24h, tokenSet: !!token },
    exportProfiles: profiles.map((p) => {
      const quarantined = !!p.quarantinedUntil && p.quarantinedUntil > now;
      return {
        ...p,
        lastSyncStatus: p.lastSyncStatus ?? null,
        quarantinedUntil: quarantined ? p.quarantinedUntil : null,
        attention: quarantined || p.lastSyncStatus === "FAILED",
      };
    }),
    expiringCertificates: certs.map((c) => ({
      profileId: c.id,
      name: c.name,
      expiresAt: c.idpCertExpiresAt!,
      expired: c.idpCertExpiresAt! <= now,
    })),
    refusals: refusals.map((r) => ({ ...r, id: r.id.toString() })),
  };
}
