/**
 * How soon an IdP's signing certificate expires, for the profile page and the profiles list: a
 * warning from 30 days before, so the admin has time to get the rotated certificate in.
 */
export const CERTIFICATE_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export type CertificateExpiry = { state: "expired" } | { state: "expiring"; daysLeft: number } | { state: "valid" };

export function certificateExpiry(expiresAt: Date | string | null | undefined, now: Date = new Date()): CertificateExpiry | null {
  if (!expiresAt) return null;
  const left = new Date(expiresAt).getTime() - now.getTime();
  if (left <= 0) return { state: "expired" };
  if (left < CERTIFICATE_WARNING_DAYS * DAY_MS) return { state: "expiring", daysLeft: Math.ceil(left / DAY_MS) };
  return { state: "valid" };
}

/** The badge text: "Certificate expired", "Certificate expires in 3 days", or null. */
export function certificateBadge(expiry: CertificateExpiry | null): string | null {
  if (expiry?.state === "expired") return "Certificate expired";
  if (expiry?.state === "expiring") return `Certificate expires in ${expiry.daysLeft} day${expiry.daysLeft === 1 ? "" : "s"}`;
  return null;
}
