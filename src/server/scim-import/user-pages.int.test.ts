/**
 * Pages of all users (no filter, no sortBy) come from remembered keys and trigger-kept counts
 * (directory/user-pages.ts): every slice must be exactly the slice of `ORDER BY createdAt, id`, with
 * the exact total, before and after users are added and removed, by SCIM or by plain SQL.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import * as route from "@/app/api/scim/v2/[tenant]/[[...path]]/route";
import { db } from "../db";
import { newScimTenant, scimClient } from "../../testing/factories/scim-import";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";

let tenant: Awaited<ReturnType<typeof newScimTenant>>;
let scim: ReturnType<typeof scimClient>;

async function expectedOrder(): Promise<string[]> {
  const rows = await db().$queryRaw<
    { id: string }[]
  >`SELECT id::text FROM "DirectoryUser" WHERE "tenantId" = ${tenant.id}::uuid ORDER BY "createdAt", id`;
  return rows.map((row) => row.id);
}

/** Checks pages at several start positions and sizes against the database's own order. */
async function expectExactSlices(): Promise<void> {
  const ids = await expectedOrder();
  for (const [startIndex, count] of [
    [1, 100],
    [101, 100],
    [38, 37],
    [199, 100],
    [951, 100],
    [1001, 100],
    [1138, 37],
    [ids.length - 40, 100],
    [ids.length, 5],
    [ids.length + 1, 10],
    [1, 0],
  ] as const) {
    const page = await scim("GET", `/Users?startIndex=${startIndex}&count=${count}`);
    expect(page.status).toBe(200);
    expect(page.body.totalResults).toBe(ids.length);
    expect(page.body.Resources.map((r: { id: string }) => r.id)).toEqual(ids.slice(startIndex - 1, startIndex - 1 + count));
  }
}

beforeAll(async () => {
  tenant = await newScimTenant();
  scim = scimClient(route, tenant);
  for (let i = 0; i < 230; i++) {
    const res = await scim("POST", "/Users", { schemas: [USER], userName: `pages${i}@example.com` });
    expect(res.status).toBe(201);
  }
  // 1,100 more with one createdAt (ordered by id alone), as one bulk insert writes them.
  await db().$executeRaw`
    INSERT INTO "DirectoryUser" (id, "tenantId", "userName", "userNameKey", "searchText", source, "updatedAt")
    SELECT gen_random_uuid(), ${tenant.id}::uuid, 'bulk' || i, 'bulk' || i, 'bulk' || i, 'SCIM', now() FROM generate_series(1, 1100) AS i`;
});

describe("pages of all users", () => {
  it("are exact slices of the default order, with the exact total", async () => {
    await expectExactSlices();
  });

  it("stay exact after users are added and deleted over SCIM and by plain SQL", async () => {
    const ids = await expectedOrder();
    expect((await scim("DELETE", `/Users/${ids[150]}`)).status).toBe(204);
    expect((await scim("POST", "/Users", { schemas: [USER], userName: "pages-late@example.com" })).status).toBe(201);
    await expectExactSlices();
    await db().$executeRaw`DELETE FROM "DirectoryUser" WHERE id = ${ids[10]}::uuid`;
    await expectExactSlices();
    // Later, once the remembered keys may be found again (at most every second): the test moves the
    // clock (Date only; timers and I/O stay real) instead of waiting.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 1_100);
      await expectExactSlices();
    } finally {
      vi.useRealTimers();
    }
  });

  it("count the tenant's users exactly, and nothing of another tenant's", async () => {
    const other = await newScimTenant();
    const otherScim = scimClient(route, other);
    expect((await otherScim("POST", "/Users", { schemas: [USER], userName: "someone@example.com" })).status).toBe(201);
    expect((await otherScim("GET", "/Users?count=0")).body.totalResults).toBe(1);
    const ours = await db().directoryUser.count({ where: { tenantId: tenant.id } });
    expect((await scim("GET", "/Users?count=0")).body.totalResults).toBe(ours);
  });
});
