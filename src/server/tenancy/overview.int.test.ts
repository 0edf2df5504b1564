import { describe, expect, it } from "vitest";
import { newTenant, newUser } from "@/testing/factories/directory";
import { db } from "../db";
import { recordSignInEvent } from "../sso/sign-in-events";
import { tenantOverview } from "./overview";

describe("tenant overview", () => {
  it("is empty for a new tenant", async () => {
    const tenant = await newTenant();
    const overview = await tenantOverview({ tenantId: tenant.id });
    expect(overview.provisioned).toEqual({ usersCreated: 0, groupsCreated: 0, usersTotal: 0, groupsTotal: 0 });
    expect(overview.scimImport).toMatchObject({ lastRequestAt: null, requests24h: 0, errors24h: 0, tokenSet: false });
    expect(overview.exportProfiles).toEqual([]);
    expect(overview.expiringCertificates).toEqual([]);
    expect(overview.refusals).toEqual([]);
  });

  it("counts the last 24 hours only, lists failing and quarantined profiles and the newest refusals", async () => {
    const tenant = await newTenant();
    const now = new Date();
    await newUser(tenant.id);
    const old = await newUser(tenant.id);
    await db().directoryUser.update({ where: { id: old.id }, data: { createdAt: new Date(now.getTime() - 48 * 3_600_000) } });
    await db().provisioningEvent.createMany({
      data: [
        { tenantId: tenant.id, method: "POST", path: "/Users", operation: "user created", status: 201, durationMs: 3 },
        { tenantId: tenant.id, method: "POST", path: "/Users", operation: "user created", status: 409, durationMs: 3 },
      ],
    });
    const failing = await db().exportProfile.create({
      data: {
        tenantId: tenant.id,
        name: "Failing",
        nameKey: "failing",
        type: "DATABRICKS",
        lastSyncStatus: "FAILED",
        consecutiveFailures: 2,
      },
      select: { id: true },
    });
    await db().exportProfile.create({
      data: { tenantId: tenant.id, name: "Quiet", nameKey: "quiet", type: "DATABRICKS", lastSyncStatus: "SUCCEEDED" },
    });
    await recordSignInEvent({ tenantId: tenant.id, outcome: "REFUSED", reason: "unknown_user", email: "who@example.com" });

    const overview = await tenantOverview({ tenantId: tenant.id, now: new Date(now.getTime() + 1000) });
    expect(overview.provisioned).toMatchObject({ usersCreated: 1, usersTotal: 2 });
    expect(overview.scimImport).toMatchObject({ requests24h: 2, errors24h: 1 });
    expect(overview.exportProfiles.filter((p) => p.attention).map((p) => p.id)).toEqual([failing.id]);
    expect(overview.refusals).toEqual([expect.objectContaining({ email: "who@example.com", reason: "unknown_user" })]);
  });
});
