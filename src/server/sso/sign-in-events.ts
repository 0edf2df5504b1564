import type { Prisma } from "@/generated/prisma/client";
import type { SignInMode, SignInOutcome } from "@/generated/prisma/enums";
import { db } from "../db";
import { BoundedWindows } from "../http/bounded-windows";
import { metrics } from "../observability/metrics";
import { clientKey } from "../http/client-key";

/** Why a sign-in was refused: stable codes the console filters on, with a sentence each. */
export const refusalReasons = {
  unknown_user: "No user with this email in the organisation's directory.",
  deactivated: "The user is deactivated.",
  no_profile: "None of the user's groups has an active authentication profile.",
  wrong_profile: "The user's groups use another authentication profile.",
  other_tenant: "The identity belongs to a user of another organisation.",
  invalid_response: "The identity provider's response was refused.",
  unknown_certificate: "The response is signed by an unknown certificate.",
  idp_error: "The identity provider or the SSO service reported an error.",
  invalid_state: "The sign-in could not be matched to one started here (expired or replayed).",
  no_identity: "The identity provider sent no email or user identifier.",
} as const;
export type RefusalReason = keyof typeof refusalReasons;

export type SignInEventInput = {
  tenantId: string;
  mode?: SignInMode;
  email?: string | null;
  directoryUserId?: string | null;
  profileId?: string | null;
  profileName?: string | null;
  outcome: SignInOutcome;
  reason?: RefusalReason | null;
  detail?: string | null;
  claims?: Prisma.InputJsonValue | null;
  ipAddress?: string | null;
  userAgent?: string | null;
};

export async function recordSignInEvent(input: SignInEventInput): Promise<bigint> {
  const row = await db().signInEvent.create({
    data: {
      tenantId: input.tenantId,
      mode: input.mode ?? "PORTAL",
      email: input.email?.slice(0, 320) ?? null,
      directoryUserId: input.directoryUserId ?? null,
      profileId: input.profileId ?? null,
      profileName: input.profileName ?? null,
      outcome: input.outcome,
      reason: input.reason ?? null,
      detail: (input.detail ?? (input.reason ? refusalReasons[input.reason] : null))?.slice(0, 1000) ?? null,
      claims: input.claims ?? undefined,
      ipAddress: input.ipAddress?.slice(0, 64) ?? null,
      userAgent: input.userAgent?.slice(0, 400) ?? null,
    },
    select: { id: true },
  });
  metrics().signIns.inc({ mode: input.mode ?? "PORTAL", outcome: input.outcome });
  return row.id;
}

/** What kind of unattributable refusal a row stands for: the throttle's key, never attacker-chosen text. */
export type UnattributedRefusal = "malformed" | "unknown_issuer";

/**
 * Lets one refusal per tenant, client and kind through per window, and counts the rest, so that the
 * next row can say how many were not logged one by one. A key forgotten to bound memory loses its count.
 */
export class RefusalLogThrottle {
  private readonly windows: BoundedWindows<{ suppressed: number }>;

  constructor(limits: { windowSeconds: number; maxKeys: number }) {
    this.windows = new BoundedWindows(limits);
  }

  get trackedKeys(): number {
    return this.windows.size;
  }

  admit(
    key: { tenantId: string; address: string | null; kind: UnattributedRefusal },
    now = Date.now(),
  ): { record: true; suppressedSince: { count: number; since: Date } | null } | { record: false } {
    const id = `${key.tenantId}|${clientKey(key.address)}|${key.kind}`;
    const last = this.windows.latest(id);
    if (last && this.windows.isOpen(last, now)) {
      last.state.suppressed++;
      return { record: false };
    }
    this.windows.open(id, { suppressed: 0 }, now);
    return {
      record: true,
      suppressedSince: last?.state.suppressed ? { count: last.state.suppressed, since: new Date(last.startedAt) } : null,
    };
  }
}

const unattributedRefusals = new RefusalLogThrottle({ windowSeconds: 60, maxKeys: 10_000 });

/**
 * Records a refusal that names no identity provider of the tenant (garbage, another issuer): anyone
 * can post those, so at most one row per client address and kind a minute, saying how many like it
 * were left out since the last one. Refusals of the tenant's own IdPs use recordSignInEvent: every one.
 */
export async function recordUnattributedRefusal(input: SignInEventInput, kind: UnattributedRefusal): Promise<void> {
  const admitted = unattributedRefusals.admit({ tenantId: input.tenantId, address: input.ipAddress ?? null, kind });
  if (!admitted.record) return;
  const left = admitted.suppressedSince;
  const note = left ? ` (${left.count} more like it from this address since ${left.since.toISOString()} were not logged one by one.)` : "";
  await recordSignInEvent({ ...input, detail: `${input.detail ?? refusalReasons[input.reason ?? "invalid_response"]}${note}` });
}

export type ListSignInEventsOptions = {
  tenantId: string;
  outcome?: SignInOutcome;
  mode?: SignInMode;
  profileId?: string;
  /** Matches the email. */
  search?: string;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
};

/** The page's filters as a query: the list and its CSV export apply the same. */
export function signInEventsWhere(options: Omit<ListSignInEventsOptions, "page" | "pageSize">): Prisma.SignInEventWhereInput {
  return {
    tenantId: options.tenantId,
    ...(options.outcome ? { outcome: options.outcome } : {}),
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.profileId ? { profileId: options.profileId } : {}),
    ...(options.search ? { email: { contains: options.search.toLowerCase(), mode: "insensitive" as const } } : {}),
    ...(options.from || options.to
      ? { at: { ...(options.from ? { gte: options.from } : {}), ...(options.to ? { lte: options.to } : {}) } }
      : {}),
  };
}

export async function listSignInEvents(options: ListSignInEventsOptions) {
  const where = signInEventsWhere(options);
  const [total, rows] = await Promise.all([
    db().signInEvent.count({ where }),
    db().signInEvent.findMany({
      where,
      orderBy: [{ at: "desc" }, { id: "desc" }],
      skip: (options.page - 1) * options.pageSize,
      take: options.pageSize,
      select: {
        id: true,
        at: true,
        mode: true,
        email: true,
        directoryUserId: true,
        profileId: true,
        profileName: true,
        outcome: true,
        reason: true,
        detail: true,
        ipAddress: true,
        userAgent: true,
        directoryUser: { select: { displayName: true, userName: true } },
      },
    }),
  ]);
  return { total, rows: rows.map((r) => ({ ...r, id: r.id.toString() })) };
}

/** A test sign-in's result, for the admin who ran it (tenant-scoped). */
export async function getTestSignIn(options: { tenantId: string; eventId: string }) {
  if (!/^\d{1,18}$/.test(options.eventId)) return null;
  const row = await db().signInEvent.findFirst({
    where: { tenantId: options.tenantId, id: BigInt(options.eventId), mode: "TEST" },
    select: {
      id: true,
      at: true,
      email: true,
      outcome: true,
      reason: true,
      detail: true,
      claims: true,
      profileId: true,
      directoryUser: { select: { id: true, userName: true, displayName: true, active: true } },
    },
  });
  return row ? { ...row, id: row.id.toString() } : null;
}
