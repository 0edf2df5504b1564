import { describe, expect, it } from "vitest";
import { db } from "../db";
import { newTenant } from "../../testing/factories/directory";
import { newOwner } from "../../testing/factories/trpc";
import { CSV_PAGE_SIZE } from "./stream";
import { exportCsv } from "./datasets";

async function csvOf(options: Parameters<typeof exportCsv>[0]): Promise<string[]> {
  const text = await new Response(exportCsv(options).stream).text();
  return text.split("\r\n").filter(Boolean);
}

describe("CSV export", () => {
  it("applies the page's filters, across page boundaries, newest first, and defuses formulas", async () => {
    const tenant = await newTenant();
    const other = await newTenant();
    // More rows than a page, half of them failures, and rows with one shared timestamp (the keyset's tie-break on id).
    await db().$executeRawUnsafe(
      `INSERT INTO "ProvisioningEvent" ("tenantId", at, method, path, operation, "resourceName", status, "durationMs")
       SELECT $1::uuid, timestamp '2026-12-01 00:00:00' + make_interval(secs => n / 7), 'POST', '/Users', 'user created',
              CASE WHEN n = 1 THEN '=HYPERLINK("http://x")' ELSE 'u' || n END, CASE WHEN n % 2 = 0 THEN 409 ELSE 201 END, 1
       FROM generate_series(1, ${CSV_PAGE_SIZE * 2 + 11}) AS n`,
      tenant.id,
    );
    await db().provisioningEvent.create({
      data: { tenantId: other.id, method: "GET", path: "/Users", operation: "lookup", status: 200, durationMs: 1 },
    });

    const all = await csvOf({ tenantId: tenant.id, dataset: "events", params: {} });
    expect(all).toHaveLength(CSV_PAGE_SIZE * 2 + 11 + 1);
    expect(new Set(all).size).toBe(all.length);
    expect(all.at(-1)).toContain('"\'=HYPERLINK(""http://x"")"');
    const times = all.slice(1).map((l) => l.split(",")[0]!);
    expect([...times].sort().reverse()).toEqual(times);

    const failures = await csvOf({ tenantId: tenant.id, dataset: "events", params: { result: "failure" } });
    expect(failures).toHaveLength(CSV_PAGE_SIZE + 5 + 1);
    expect(failures.slice(1).every((l) => l.includes(",409,"))).toBe(true);
    const recent = await csvOf({ tenantId: tenant.id, dataset: "events", params: { from: "2026-12-01T00:09:00Z" } });
    expect(recent.length).toBeGreaterThan(1);
    expect(recent.length).toBeLessThan(all.length);
  });

  it("exports the audit log with its filters and refuses a filter the dataset does not have", async () => {
    const owner = await newOwner();
    await owner.caller.tenant.rename({ tenantSlug: owner.slug, name: "One" });
    await owner.caller.scimImport.generateToken({ tenantSlug: owner.slug });
    const renamed = await csvOf({ tenantId: owner.tenantId, dataset: "audit", params: { action: "tenant.renamed" } });
    expect(renamed).toHaveLength(2);
    expect(renamed[1]).toContain(owner.email);
    expect(() => exportCsv({ tenantId: owner.tenantId, dataset: "audit", params: { action: "tenant.exploded" } })).toThrow(/action/);
    expect(() => exportCsv({ tenantId: owner.tenantId, dataset: "audit", params: { outcome: "SUCCESS" } })).toThrow(/outcome/);
    expect(() => exportCsv({ tenantId: owner.tenantId, dataset: "operations", params: {} })).toThrow(/runId|profileId/);
  });
});
