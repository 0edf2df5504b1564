import { Prisma } from "@/generated/prisma/client";
import type { ExportRunTrigger } from "@/generated/prisma/enums";
import { recordAudit } from "../audit/record";
import { db } from "../db";
import { sqlExecute } from "../db/sql";
import { AppError } from "../errors";
import { queueRun } from "./queue-run";
import { runNotFound } from "./errors";
import { requireProfile, type ProfileScoped, type TenantScoped } from "./profiles";
import { isUuid } from "../directory/ids";

const { sql } = Prisma;

/**
 * Queues a sync of the profile ("user and group sync queued"). A run already queued and not yet
 * started is reused, so clicking Sync twice, or a change arriving during a schedule, never queues
 * two runs. Refused while the profile is not configured.
 */
export async function requestExportSync(
  options: ProfileScoped & {
    trigger?: ExportRunTrigger;
    requestedBy?: string;
    subjectUserId?: string;
    /** Re-map and compare every in-scope user, not only what changed since the last run. */
    full?: boolean;
  },
): Promise<{ runId: string; alreadyQueued: boolean }> {
  const profile = await requireProfile(options, { id: true, name: true, baseUrl: true, tokenCiphertext: true });
  if (!profile.baseUrl || !profile.tokenCiphertext) {
    throw new AppError("BAD_REQUEST", "Enter the Tenant URL and Secret Token on the Configuration tab first.");
  }
  const trigger = options.trigger ?? "MANUAL";
  const run = await db().$transaction(async (tx) => {
    // A console or CLI request is audited (the scheduler and the change feed are not: nobody asked).
    await recordAudit(tx, {
      tenantId: options.tenantId,
      action: options.subjectUserId || trigger === "ON_DEMAND" ? "export_profile.provision_requested" : "export_profile.sync_requested",
      target: { type: "export_profile", id: profile.id, name: profile.name },
      after: { trigger, full: options.full === true, ...(options.subjectUserId ? { userId: options.subjectUserId } : {}) },
    });
    // Requests of one profile take turns here (instances, the scheduler, the change feed, the
    // console), so the look-up and the insert are one step: two requests never queue two runs.
    // A transaction-scoped advisory lock rather than a unique index on queued runs: a run being
    // confirmed (confirmExportRun) may be queued beside an ordinary one.
    await sqlExecute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`export-queue:${profile.id}`}, 0))`, { kind: "point", tx });
    const queued = await tx.exportRun.findFirst({
      where: { profileId: profile.id, status: "QUEUED", subjectUserId: null },
      orderBy: { createdAt: "asc" },
      select: { id: true },
    });
    if (queued) {
      if (options.full) await tx.exportRun.update({ where: { id: queued.id }, data: { fullSync: true }, select: { id: true } });
      return { id: queued.id, reused: true };
    }
    const created = await tx.exportRun.create({
      data: {
        tenantId: options.tenantId,
        profileId: profile.id,
        trigger,
        requestedBy: options.requestedBy ?? null,
        fullSync: options.full === true,
      },
      select: { id: true },
    });
    return { id: created.id, reused: false };
  });
  if (run.reused) return { runId: run.id, alreadyQueued: true };
  await queueRun({ tenantId: options.tenantId, profileId: profile.id, runId: run.id });
  return { runId: run.id, alreadyQueued: false };
}

/**
 * Lets a run that stopped at the deletion threshold go on: a new run is queued with the
 * confirmation, which deactivates/deletes as planned.
 */
export async function confirmExportRun(options: TenantScoped & { runId: string; requestedBy?: string }): Promise<{ runId: string }> {
  if (!isUuid(options.runId)) throw runNotFound();
  const run = await db().exportRun.findFirst({
    where: { id: options.runId, tenantId: options.tenantId },
    select: { id: true, profileId: true, status: true },
  });
  if (!run) throw runNotFound();
  if (run.status !== "NEEDS_CONFIRMATION") throw new AppError("BAD_REQUEST", "This run is not waiting for a confirmation.");
  const next = await db().$transaction(async (tx) => {
    await tx.exportRun.update({
      where: { id: run.id },
      data: { status: "CANCELLED", message: "Confirmed by an admin: continued in a new run." },
      select: { id: true },
    });
    await recordAudit(tx, {
      tenantId: options.tenantId,
      action: "export_run.confirmed",
      target: { type: "export_run", id: run.id },
      before: { status: run.status },
      after: { status: "CANCELLED", continuedWithDeletions: true },
    });
    return tx.exportRun.create({
      data: {
        tenantId: options.tenantId,
        profileId: run.profileId,
        trigger: "MANUAL",
        confirmedDeletions: true,
        requestedBy: options.requestedBy ?? null,
      },
      select: { id: true },
    });
  });
  await db().exportProfile.update({ where: { id: run.profileId }, data: { lastSyncStatus: null }, select: { id: true } });
  await queueRun({ tenantId: options.tenantId, profileId: run.profileId, runId: next.id });
  return { runId: next.id };
}

/** Declines: the run is cancelled, nothing is deactivated or deleted. */
export async function cancelExportRun(options: TenantScoped & { runId: string }): Promise<{ runId: string }> {
  if (!isUuid(options.runId)) throw runNotFound();
  const run = await db().exportRun.findFirst({
    where: { id: options.runId, tenantId: options.tenantId },
    select: { id: true, status: true, profileId: true },
  });
  if (!run) throw runNotFound();
  if (run.status !== "NEEDS_CONFIRMATION" && run.status !== "QUEUED")
    throw new AppError("BAD_REQUEST", "Only a queued run or one waiting for a confirmation can be cancelled.");
  await db().$transaction(async (tx) => {
    await tx.exportRun.update({
      where: { id: run.id },
      data: { status: "CANCELLED", finishedAt: new Date(), message: "Cancelled by an admin." },
      select: { id: true },
    });
    await recordAudit(tx, {
      tenantId: options.tenantId,
      action: "export_run.cancelled",
      target: { type: "export_run", id: run.id },
      before: { status: run.status },
      after: { status: "CANCELLED" },
    });
  });
  return { runId: run.id };
}
