import { db } from "../db";
import { serverEnv } from "../env";
import { signToken, verifyToken } from "./signed-token";

/**
 * The end user's session after SSO: a cookie signed with AUTH_SECRET under its own purpose, so it
 * is never accepted as a console session (next-auth) or the reverse. Every read re-checks that the
 * user still exists and is active: a deactivated user loses the portal at once.
 */
export const PORTAL_COOKIE = "lc_portal";
export const PORTAL_SESSION_SECONDS = 8 * 3600;
const PURPOSE = "portal-session";

type PortalPayload = { exp: number; tenantId: string; userId: string; profileId: string; iat: number };

export function createPortalSessionToken(input: { tenantId: string; userId: string; profileId: string; now?: number }): string {
  const now = input.now ?? Math.floor(Date.now() / 1000);
  return signToken(
    { tenantId: input.tenantId, userId: input.userId, profileId: input.profileId, iat: now, exp: now + PORTAL_SESSION_SECONDS },
    { secret: serverEnv().AUTH_SECRET, purpose: PURPOSE },
  );
}

/** The signed-in directory user for the portal of `slug`, or null. */
export async function getPortalSession(options: { slug: string; token: string | undefined }) {
  const payload = verifyToken<PortalPayload>(options.token, { secret: serverEnv().AUTH_SECRET, purpose: PURPOSE });
  if (!payload) return null;
  const user = await db().directoryUser.findFirst({
    where: { id: payload.userId, tenantId: payload.tenantId, active: true, tenant: { slug: options.slug } },
    select: {
      id: true,
      userName: true,
      displayName: true,
      givenName: true,
      familyName: true,
      email: true,
      tenant: { select: { id: true, slug: true, name: true } },
      groups: { select: { group: { select: { id: true, displayName: true } } }, orderBy: { group: { displayNameKey: "asc" } } },
    },
  });
  if (!user) return null;
  const profile = await db().authenticationProfile.findFirst({
    where: { id: payload.profileId, tenantId: payload.tenantId },
    select: { name: true, protocol: true },
  });
  return {
    tenant: user.tenant,
    user: {
      id: user.id,
      userName: user.userName,
      name: user.displayName || [user.givenName, user.familyName].filter(Boolean).join(" ") || user.userName,
      email: user.email ?? user.userName,
    },
    groups: user.groups.map((g) => g.group),
    profile,
    signedInAt: new Date(payload.iat * 1000),
  };
}
