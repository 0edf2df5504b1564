import { expect, it, vi } from "vitest";
import { Prisma } from "@/generated/prisma/client";

const { sql } = Prisma;

/**
 * The product's server and Next's bundle each load their own copy of db/sql.ts, and both reach the
 * one pool kept on globalThis: a statement name must mean one text whichever copy chose it.
 */
it("two copies of the module never give one statement name to two texts on a shared connection", async () => {
  const first = await import("./sql");
  vi.resetModules();
  const second = await import("./sql");
  expect(second).not.toBe(first);

  // Each copy's first statement, then many rounds so that every pooled connection sees both.
  for (let round = 0; round < 40; round++) {
    const [a] = await first.sqlRows<{ copy: string }>(sql`SELECT 'first' AS copy, ${round}::int AS round`, { kind: "scan" });
    const [b] = await second.sqlRows<{ copy: string }>(sql`SELECT 'second' AS copy, ${round}::int + 1 AS round`, { kind: "scan" });
    expect([a?.copy, b?.copy]).toEqual(["first", "second"]);
  }
});
