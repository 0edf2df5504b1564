import { db } from "../db";
import { AppError } from "../errors";
import { logInternalError } from "../http/internal-error";
import { fetchIdpMetadata } from "./fetch-metadata";
import { IdpMetadataError, parseIdpMetadata } from "./idp-metadata";
import { recordProfileEvent } from "./profile-events";
import { replaceIdpMetadata } from "./profiles";
import { certificateFacts, trustedCertificates, type CertificateFacts } from "./signing-certificates";

/**
 * IdP metadata given by URL is read again once a day (through the URL guard, as when an admin
 * typed it), so that a certificate the IdP rotates is taken in before the old one stops working.
 * A changed certificate or sign-on URL is applied with the same checks as a re-import by hand, and
 * leaves an event on the profile's page; a failure leaves an event and changes nothing.
 *
 * The job ticks every hour (a periodic task, cluster-wide once per tick) and refreshes the profiles
 * last read more than a day ago: a daily timer would never fire on a server restarted more often.
 */
export const METADATA_REFRESH_MS = 24 * 60 * 60 * 1000;
export const METADATA_REFRESH_TICK_MS = 60 * 60 * 1000;

export type RefreshOutcome = "unchanged" | "certificate_changed" | "metadata_changed" | "failed";

function describe(cert: CertificateFacts): string {
  return `${cert.subject || "no subject"}, SHA-256 ${cert.fingerprint}, valid until ${cert.notAfter.toISOString().slice(0, 10)}`;
}

type DueProfile = {
  id: string;
  tenantId: string;
  name: string;
  jacksonClientId: string;
  idpEntityId: string | null;
  idpSsoUrl: string | null;
  metadataUrl: string;
};

/** Reads one profile's metadata URL and takes in what changed. */
export async function refreshProfileMetadata(profile: DueProfile): Promise<RefreshOutcome> {
  const fail = async (message: string): Promise<RefreshOutcome> => {
    await recordProfileEvent({
      tenantId: profile.tenantId,
      profileId: profile.id,
      kind: "refresh_failed",
      message: `The daily refresh could not use the metadata at ${profile.metadataUrl}: ${message} The profile keeps its current certificate.`,
    });
    return "failed";
  };
  let parsed;
  try {
    parsed = parseIdpMetadata(await fetchIdpMetadata(profile.metadataUrl));
  } catch (error) {
    if (error instanceof AppError || error instanceof IdpMetadataError) return fail(error.message);
    throw error;
  } finally {
    await db().authenticationProfile.update({ where: { id: profile.id }, data: { metadataCheckedAt: new Date() } });
  }
  if (parsed.entityId !== profile.idpEntityId)
    return fail(`it now describes another identity provider (${parsed.entityId}); re-import it by hand if that is intended.`);

  const before = await trustedCertificates(profile.jacksonClientId);
  const after = parsed.signingCertificates.map((c) => certificateFacts(c.pem)).filter((c): c is CertificateFacts => c !== null);
  const key = (certs: CertificateFacts[]) =>
    certs
      .map((c) => c.fingerprint)
      .sort()
      .join(",");
  const certificateChanged = key(before) !== key(after);
  const ssoUrl = parsed.ssoRedirectUrl ?? parsed.ssoPostUrl;
  if (!certificateChanged && ssoUrl === profile.idpSsoUrl) return "unchanged";

  try {
    await replaceIdpMetadata({ tenantId: profile.tenantId, profileId: profile.id, metadataUrl: profile.metadataUrl });
  } catch (error) {
    if (error instanceof AppError) return fail(error.message);
    throw error;
  }
  if (certificateChanged) {
    const added = after.filter((c) => !before.some((b) => b.fingerprint === c.fingerprint));
    const removed = before.filter((b) => !after.some((c) => c.fingerprint === b.fingerprint));
    await recordProfileEvent({
      tenantId: profile.tenantId,
      profileId: profile.id,
      kind: "certificate_changed",
      message: [
        "The identity provider's signing certificate changed; the new metadata was taken in.",
        ...added.map((c) => `Now trusted: ${describe(c)}.`),
        ...removed.map((c) => `No longer trusted: ${describe(c)}.`),
      ].join(" "),
    });
    return "certificate_changed";
  }
  await recordProfileEvent({
    tenantId: profile.tenantId,
    profileId: profile.id,
    kind: "metadata_changed",
    message: `The identity provider's sign-on URL changed from ${profile.idpSsoUrl ?? "none"} to ${ssoUrl}; the new metadata was taken in.`,
  });
  return "metadata_changed";
}

/** The hourly tick: every SAML profile with a metadata URL last read a day ago or more (or never). */
export async function refreshDueMetadata(options: { now?: Date } = {}): Promise<Record<RefreshOutcome, number>> {
  const now = options.now ?? new Date();
  const due = await db().authenticationProfile.findMany({
    where: {
      protocol: "SAML",
      metadataUrl: { not: null },
      OR: [{ metadataCheckedAt: null }, { metadataCheckedAt: { lte: new Date(now.getTime() - METADATA_REFRESH_MS) } }],
    },
    select: { id: true, tenantId: true, name: true, jacksonClientId: true, idpEntityId: true, idpSsoUrl: true, metadataUrl: true },
    orderBy: { metadataCheckedAt: { sort: "asc", nulls: "first" } },
    take: 200,
  });
  const counts: Record<RefreshOutcome, number> = { unchanged: 0, certificate_changed: 0, metadata_changed: 0, failed: 0 };
  for (const profile of due) {
    try {
      counts[await refreshProfileMetadata({ ...profile, metadataUrl: profile.metadataUrl! })]++;
    } catch (error) {
      // One profile's unexpected failure (Jackson's database) does not stop the others.
      logInternalError(`SSO metadata refresh of profile ${profile.id}`, error);
      counts.failed++;
    }
  }
  return counts;
}
