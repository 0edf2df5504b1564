/**
 * Provision on demand: one user, now, with every step shown (like Entra's): load, scope, mapping,
 * what the target holds (always read: GET by the remembered id, or lookups by the matching order —
 * never "nothing to change" from memory), the action with the exact body sent and the target's
 * answer, and the user's group memberships (each group read before its members change). Recorded
 * as a run (trigger ON_DEMAND) with its operations.
 *
 * It runs in the web request, but holds the profile's job key like a sync (jobs/held-job.ts), with
 * a lease renewed while it runs, in-process and under Inngest alike: never beside a running sync of
 * the profile (refused, with a message), and a sync requested meanwhile waits for it (the runner's
 * key, or the gate of one-sync-per-profile.ts under Inngest). Should the server die during it, the
 * lease expires: a runner, or whoever passes the profile's gate next, closes its run.
 */
import { randomUUID } from "node:crypto";
import { db } from "../db";
import { isUuid } from "../directory/ids";
import { AppError } from "../errors";
import { ConfigurationError, loadSyncContext } from "./engine/context";
import { processGroup } from "./engine/groups";
import { syncMembershipsOfGroup } from "./engine/members";
import { Recorder } from "./engine/recorder";
import { FatalTargetError } from "./engine/remote";
import { finishRun } from "./engine/sync";
import { runHeldJob } from "../jobs/held-job";
import type { Fence } from "../jobs/lease";
import { profileKey, PROVISION_ON_DEMAND_FUNCTION_ID } from "./job-ids";
import { admitProvisioning } from "./one-sync-per-profile";
import { processUser, type UserTrace } from "./engine/users";
import { renderMapping } from "./mapping/render";
import { groupSourceSelect, userInput, userSourceSelect, type SourceGroup, type SourceUser } from "./mapping/source-values";
import { requireProfile, type ProfileScoped } from "./profiles";
import { recordAudit } from "../audit/record";
import { buildResource } from "./scim-resource";
import { scopeGroupIds } from "./scope";
import type { ProvisionOnDemandResult, ProvisionStep } from "./types";

export async function provisionUserOnDemand(
  options: ProfileScoped & { userId: string; requestedBy?: string },
): Promise<ProvisionOnDemandResult> {
  const profile = await requireProfile(options, { id: true, baseUrl: true, tokenCiphertext: true, includeNestedGroups: true });
  if (!profile.baseUrl || !profile.tokenCiphertext)
    throw new AppError("BAD_REQUEST", "Enter the Tenant URL and Secret Token on the Configuration tab first.");
  if (!isUuid(options.userId)) throw AppError.notFound("This user");
  const user = (await db().directoryUser.findFirst({
    where: { id: options.userId, tenantId: options.tenantId },
    select: userSourceSelect,
  })) as SourceUser | null;
  if (!user) throw AppError.notFound("This user");

  const data = { tenantId: options.tenantId, profileId: profile.id, runId: randomUUID() };
  const fields = { ...data, includeNestedGroups: profile.includeNestedGroups, requestedBy: options.requestedBy ?? null };
  const held = await runHeldJob(
    {
      functionId: PROVISION_ON_DEMAND_FUNCTION_ID,
      eventName: "scim-export/provision-on-demand",
      data,
      concurrencyKey: profileKey(profile.id),
    },
    (fence) => provision(fields, user, fence),
    (tx) => admitProvisioning(tx, profile.id),
  );
  if (!held.held)
    throw new AppError("CONFLICT", "A sync of this profile is running now. Provision on Demand can run once it has finished.");
  return held.value;
}

async function provision(
  options: { tenantId: string; profileId: string; runId: string; includeNestedGroups: boolean; requestedBy: string | null },
  user: SourceUser,
  fence?: Fence,
): Promise<ProvisionOnDemandResult> {
  const profile = { id: options.profileId, includeNestedGroups: options.includeNestedGroups };
  const run = await db().$transaction(async (tx) => {
    const created = await tx.exportRun.create({
      data: {
        id: options.runId,
        tenantId: options.tenantId,
        profileId: profile.id,
        trigger: "ON_DEMAND",
        status: "RUNNING",
        owner: fence?.jobId ?? null,
        startedAt: new Date(),
        phase: "users",
        total: 1,
        subjectUserId: user.id,
        requestedBy: options.requestedBy,
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      tenantId: options.tenantId,
      action: "export_profile.provision_requested",
      target: { type: "export_profile", id: profile.id },
      after: { userId: user.id, userName: user.userName, runId: created.id },
    });
    return created;
  });
  const data = { tenantId: options.tenantId, profileId: profile.id, runId: run.id };
  const steps: ProvisionStep[] = [
    { step: "load", status: "ok", title: "User loaded from the directory", detail: `${user.userName}${user.active ? "" : " (inactive)"}` },
  ];
  let outcome: ProvisionOnDemandResult["outcome"] = "skipped";

  let ctx;
  try {
    ctx = await loadSyncContext(data);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    steps.push({ step: "map", status: "failed", title: "Configuration", detail: error.message });
    await finishRun(data, { fatal: error.message, quarantinable: false }, fence);
    return { runId: run.id, userName: user.userName, outcome: "failed", steps };
  }
  const rec = new Recorder(ctx);
  try {
    const groups = await scopeGroupIds({ profileId: profile.id, includeNestedGroups: profile.includeNestedGroups });
    const memberOf = await db().groupMember.findMany({ where: { userId: user.id, groupId: { in: groups } }, select: { groupId: true } });
    const inScope = memberOf.length > 0;
    steps.push({
      step: "scope",
      status: inScope ? "ok" : "skipped",
      title: inScope ? "In scope" : "Not in scope",
      detail: inScope
        ? `Member of ${memberOf.length} assigned group(s).`
        : "The user is not a member of any group assigned to this profile (Groups tab): nothing is provisioned.",
    });
    const { always, createOnly } = renderMapping(ctx.userRows, userInput(user));
    steps.push({
      step: "map",
      status: "ok",
      title: "Attributes mapped",
      detail: "The attributes the mapping gives this user.",
      data: buildResource("user", { ...createOnly, ...always }),
    });
    if (!inScope) {
      await rec.op({
        objectType: "USER",
        localId: user.id,
        remoteId: null,
        name: user.userName,
        action: "skipped",
        result: "SKIPPED",
        reason: "Not in scope: not a member of an assigned group.",
      });
    } else {
      const link = await db().exportLink.findUnique({
        where: { profileId_objectType_localId: { profileId: profile.id, objectType: "USER", localId: user.id } },
        select: { localId: true, remoteId: true, remoteName: true, hash: true, payload: true, active: true },
      });
      const trace: UserTrace = {};
      // Always read the target, even for a linked user whose payload did not change: the link
      // only says what was pushed, not what the target holds now.
      const result = await processUser(ctx, rec, user, link ? { ...link, payload: link.payload as never } : null, {
        lookup: true,
        verify: "always",
        trace,
      });
      const found = !!trace.match?.remoteId;
      steps.push({
        step: "match",
        status: found ? "ok" : "skipped",
        title: found ? "Matched on the target" : link ? "Not on the target" : "Not on the target yet",
        detail: trace.match?.detail ?? "The user was not read on the target.",
        data: { read: trace.read ?? null, lookups: trace.lookups ?? [] },
      });
      outcome = (["created", "updated", "matched", "unchanged", "skipped", "failed"] as const).find((o) => o === result) ?? "updated";
      steps.push({
        step: "action",
        status: result === "failed" ? "failed" : result === "unchanged" ? "skipped" : "ok",
        title:
          {
            created: "User created",
            updated: "User updated",
            matched: "Existing user linked",
            unchanged: "Nothing to change",
            skipped: "Skipped",
            failed: "Failed",
          }[outcome as string] ?? result,
        detail:
          result === "unchanged"
            ? "The user as read just now on the target already has exactly these attributes: nothing was sent."
            : `Action: ${trace.action ?? result}.`,
        data: { sent: trace.sent ?? null, answer: trace.answer ?? null },
      });
      if (result !== "failed" && result !== "skipped") {
        await rec.flush(ctx.client.stats);
        const groupRows = (await db().directoryGroup.findMany({
          where: { id: { in: memberOf.map((m) => m.groupId) } },
          select: groupSourceSelect,
        })) as SourceGroup[];
        const names: string[] = [];
        for (const group of groupRows) {
          const link = await db().exportLink.findUnique({
            where: { profileId_objectType_localId: { profileId: profile.id, objectType: "GROUP", localId: group.id } },
            select: { remoteId: true, remoteName: true, hash: true, payload: true },
          });
          await processGroup(ctx, rec, group, link, "always");
          await rec.flush(ctx.client.stats);
          await syncMembershipsOfGroup(ctx, rec, group.id, user.id);
          names.push(group.displayName);
        }
        steps.push({
          step: "groups",
          status: "ok",
          title: "Group memberships",
          detail: names.length ? `Member of ${names.join(", ")} on the target.` : "No groups.",
        });
      }
    }
    await rec.flush(ctx.client.stats);
    await db().exportRun.update({ where: { id: run.id }, data: { done: 1 }, select: { id: true } });
    await finishRun(data, { fatal: null, quarantinable: false }, fence);
  } catch (error) {
    await rec.flush(ctx.client.stats);
    if (!(error instanceof FatalTargetError)) throw error;
    steps.push({ step: "action", status: "failed", title: "The target refused the request", detail: error.message });
    await finishRun(data, { fatal: error.message, quarantinable: error.quarantinable }, fence);
    outcome = "failed";
  }
  return { runId: run.id, userName: user.userName, outcome, steps };
}
