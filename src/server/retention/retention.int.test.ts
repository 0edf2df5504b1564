import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newTenant } from "../../testing/factories/directory";
import { newOwner } from "../../testing/factories/trpc";
import { db } from "../db";
import { createExportProfile } from "../scim-export/profiles";
import { pruneFinishedJobs, pruneTenant } from "./prune";

const DAY = 86_400_000;
const now = new Date("2027-06-01T00:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);

async function seedLogs(tenantId: string, at: Date, label: string) {
  await db().provisioningEvent.create({
    data: { tenantId, at, method: "POST", path: "/Users", operation: label, status: 201, durationMs: 1 },
  });
  await db().signInEvent.create({ data: { tenantId, at, email: `${label}@example.com`, outcome: "SUCCESS" } });
  await db().auditEntry.create({
    data: { tenantId, at, actorLabel: "operator CLI", action: "tenant.renamed", targetType: "tenant", targetName: label },
  });
}

async function newProfile(tenantId: string) {
  const { id } = await createExportProfile({ tenantId, input: { name: `P ${randomUUID().slice(0, 8)}`, description: "", type: "SCIM" } });
  return id;
}

async function seedRun(tenantId: string, profileId: string, finishedAt: Date | null, operations: number) {
  const run = await db().exportRun.create({
    data: {
      tenantId,
      profileId,
      trigger: "MANUAL",
      status: finishedAt ? "SUCCEEDED" : "RUNNING",
      finishedAt,
      createdAt: finishedAt ?? now,
    },
    select: { id: true },
  });
  await db().exportOperation.createMany({
    data: Array.from({ length: operations }, (_, i) => ({
      runId: run.id,
      tenantId,
      profileId,
      objectType: "USER" as const,
      name: `u${i}`,
      action: "created",
      result: "SUCCESS" as const,
    })),
  });
  return run.id;
}

describe("retention", () => {
  it("prunes what the policy no longer keeps and leaves newer rows, and other tenants', alone", async () => {
    const tenant = await newTenant();
    const other = await newTenant();
    await db().tenant.update({ where: { id: tenant.id }, data: { logRetentionDays: 30, auditRetentionDays: 365 } });
    await seedLogs(tenant.id, daysAgo(400), "ancient");
    await seedLogs(tenant.id, daysAgo(100), "old");
    await seedLogs(tenant.id, daysAgo(10), "recent");
    await seedLogs(other.id, daysAgo(100), "others");
    const profileId = await newProfile(tenant.id);
    const oldRun = await seedRun(tenant.id, profileId, daysAgo(45), 30);
    const newRun = await seedRun(tenant.id, profileId, daysAgo(5), 3);
    const runningRun = await seedRun(tenant.id, profileId, null, 2);

    const counts = await pruneTenant(tenant.id, { now, batchSize: 10 });
    expect(counts).toMatchObject({ provisioningEvents: 2, signIns: 2, exportOperations: 30, exportRuns: 1, auditEntries: 1 });

    const names = async (id: string) => ({
      events: (await db().provisioningEvent.findMany({ where: { tenantId: id }, select: { operation: true } })).map((e) => e.operation),
      signIns: (await db().signInEvent.findMany({ where: { tenantId: id }, select: { email: true } })).map((e) => e.email),
      audit: (await db().auditEntry.findMany({ where: { tenantId: id }, orderBy: { at: "asc" }, select: { targetName: true } })).map(
        (e) => e.targetName,
      ),
    });
    expect(await names(tenant.id)).toEqual({ events: ["recent"], signIns: ["recent@example.com"], audit: ["old", "recent"] });
    expect(await names(other.id)).toEqual({ events: ["others"], signIns: ["others@example.com"], audit: ["others"] });
    const runs = await db().exportRun.findMany({
      where: { tenantId: tenant.id },
      select: { id: true, _count: { select: { operations: true } } },
    });
    expect(runs.map((r) => r.id).sort()).toEqual([newRun, runningRun].sort());
    expect(runs.every((r) => r.id !== oldRun && r._count.operations > 0)).toBe(true);
  });

  it("deletes in batches of the given size", async () => {
    const tenant = await newTenant();
    await db().provisioningEvent.createMany({
      data: Array.from({ length: 25 }, (_, i) => ({
        tenantId: tenant.id,
        at: daysAgo(100 + i),
        method: "GET",
        path: "/Users",
        operation: "lookup",
        status: 200,
        durationMs: 1,
      })),
    });
    const first = await pruneTenant(tenant.id, { now, batchSize: 10 });
    // 3 batches of events (10, 10, 5), then one (empty) for each other log; no feed to compact.
    expect(first).toMatchObject({ provisioningEvents: 25, batches: 3 + 4 });
    expect(await db().provisioningEvent.count({ where: { tenantId: tenant.id } })).toBe(0);
  });

  it("compacts the change feed only up to the slowest profile, ignoring profiles that never synced", async () => {
    const tenant = await newTenant();
    await db().directoryChange.createMany({
      data: Array.from({ length: 30 }, () => ({
        tenantId: tenant.id,
        entity: "USER" as const,
        entityId: randomUUID(),
        action: "UPDATED" as const,
        source: "SCIM" as const,
      })),
    });
    const ids = (await db().directoryChange.findMany({ where: { tenantId: tenant.id }, orderBy: { id: "asc" }, select: { id: true } })).map(
      (c) => c.id,
    );
    const fast = await newProfile(tenant.id);
    const slow = await newProfile(tenant.id);
    await newProfile(tenant.id); // never synced: its first run is a full pass, which reads no feed
    await db().exportProfile.update({ where: { id: fast }, data: { syncedChangeId: ids[24] } });
    await db().exportProfile.update({ where: { id: slow }, data: { syncedChangeId: ids[9] } });

    const counts = await pruneTenant(tenant.id, { now, batchSize: 4 });
    expect(counts.directoryChanges).toBe(10);
    const left = await db().directoryChange.findMany({ where: { tenantId: tenant.id }, orderBy: { id: "asc" }, select: { id: true } });
    expect(left.map((c) => c.id)).toEqual(ids.slice(10));

    // The slow profile catches up: the feed follows.
    await db().exportProfile.update({ where: { id: slow }, data: { syncedChangeId: ids[29] } });
    expect((await pruneTenant(tenant.id, { now })).directoryChanges).toBe(15);
  });

  it("deletes finished job rows after a week, never queued or running ones", async () => {
    const base = { functionId: "test", eventName: "test/event", eventData: {} };
    const done = await db().jobRun.create({ data: { ...base, status: "COMPLETED", finishedAt: daysAgo(8) }, select: { id: true } });
    const fresh = await db().jobRun.create({ data: { ...base, status: "FAILED", finishedAt: daysAgo(2) }, select: { id: true } });
    const queued = await db().jobRun.create({ data: { ...base, status: "QUEUED", runAfter: now }, select: { id: true } });
    await pruneFinishedJobs({ now });
    const left = (await db().jobRun.findMany({ where: { id: { in: [done.id, fresh.id, queued.id] } }, select: { id: true } })).map(
      (r) => r.id,
    );
    expect(left.sort()).toEqual([fresh.id, queued.id].sort());
  });

  it("lets an admin change the policy within bounds, audited, and shows the space used", async () => {
    const owner = await newOwner();
    const tenantSlug = owner.slug;
    expect((await owner.caller.retention.get({ tenantSlug })).policy).toEqual({ logRetentionDays: 90, auditRetentionDays: 400 });
    await expect(owner.caller.retention.set({ tenantSlug, logRetentionDays: 0, auditRetentionDays: 400 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(owner.caller.retention.set({ tenantSlug, logRetentionDays: 30, auditRetentionDays: 10 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await owner.caller.retention.set({ tenantSlug, logRetentionDays: 30, auditRetentionDays: 730 });
    const { policy, space } = await owner.caller.retention.get({ tenantSlug });
    expect(policy).toEqual({ logRetentionDays: 30, auditRetentionDays: 730 });
    expect(space.find((s) => s.label === "Audit log")).toMatchObject({ tenantRows: 1 });
    expect(space.every((s) => s.tableBytes > 0)).toBe(true);
    const { items } = await owner.caller.audit.list({ tenantSlug, action: "tenant.retention_changed" });
    expect(items[0]).toMatchObject({
      before: { logRetentionDays: 90, auditRetentionDays: 400 },
      after: { logRetentionDays: 30, auditRetentionDays: 730 },
    });
  });
});
