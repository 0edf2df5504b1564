/**
 * A million provisioning events exported as CSV in bounded memory: the rows are made by
 * PostgreSQL (generate_series), read back in keyset pages and pulled through the response stream
 * by a reader that keeps only counts. The heap and RSS are sampled on every chunk.
 */
import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { db } from "../db";
import { newTenant } from "../../testing/factories/directory";
import { exportCsv } from "./datasets";

const ROWS = 1_000_000;
const MB = 1024 * 1024;

// Live memory, not garbage awaiting collection: the heap is measured right after a full GC.
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
const liveHeap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

describe("CSV export of 1,000,000 rows", () => {
  it("streams every row with the heap and RSS staying bounded", { timeout: 900_000 }, async () => {
    const tenant = await newTenant();
    await db().$executeRawUnsafe(
      `INSERT INTO "ProvisioningEvent" ("tenantId", at, method, path, operation, "resourceType", "resourceId", "resourceName", status, "durationMs", "userAgent")
       SELECT $1::uuid, now() - make_interval(secs => n), 'PATCH', '/Users/' || n, 'user updated', 'User', md5(n::text),
              'user' || n || '@example.com', 200, n % 50, 'Okta SCIM Client 1.0.0'
       FROM generate_series(1, ${ROWS}) AS n`,
      tenant.id,
    );

    const before = { heapUsed: liveHeap(), rss: process.memoryUsage().rss };
    let peakHeap = before.heapUsed;
    let peakRss = before.rss;
    let chunks = 0;
    let bytes = 0;
    let lines = 0;
    let first = "";
    const started = Date.now();
    const { stream } = exportCsv({ tenantId: tenant.id, dataset: "events", params: {} });
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (let i = 0; i < value.length; i += 1) if (value[i] === 10) lines += 1;
      if (!first) first = new TextDecoder().decode(value.subarray(0, 200));
      // Every 25th page (50,000 rows), the live heap with the stream mid-way.
      chunks += 1;
      if (chunks % 25 === 0) peakHeap = Math.max(peakHeap, liveHeap());
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `CSV of ${ROWS} rows: ${(bytes / MB).toFixed(0)} MB in ${seconds.toFixed(1)} s (${Math.round(ROWS / seconds)} rows/s); ` +
        `live heap ${(before.heapUsed / MB).toFixed(0)} → peak ${(peakHeap / MB).toFixed(0)} MB, RSS ${(before.rss / MB).toFixed(0)} → peak ${(peakRss / MB).toFixed(0)} MB`,
    );

    expect(first.startsWith("time,method,path,operation")).toBe(true);
    expect(lines).toBe(ROWS + 1);
    // The document is far larger than what the process ever held beyond its starting point.
    expect(bytes).toBeGreaterThan(100 * MB);
    // A page of 2,000 rows is about 1 MB of CSV: the live heap grows by a few pages at most.
    expect(peakHeap - before.heapUsed).toBeLessThan(32 * MB);
    expect(peakRss - before.rss).toBeLessThan(256 * MB);
  });
});
