/**
 * Cluster-wide ticks for the in-process runner's periodic tasks (Inngest's cron). Every instance
 * has a timer per task, but a tick runs only where it moves the task's JobCron.nextRunAt forward
 * (one atomic UPDATE), so N instances run about one tick per period between them, not N.
 */
import { Prisma } from "@/generated/prisma/client";
import { sqlExecute } from "../db/sql";

const { sql } = Prisma;

/**
 * A tick is taken when the task is due; the next one is due after 90 % of the period, so that
 * timers firing a few milliseconds early on the instance that took the last tick do not skip a period.
 */
const NEXT_TICK_FRACTION = 0.9;

/** True when this instance takes the task's tick (and should run it now). */
export async function takeTick(name: string, everyMs: number, owner: string): Promise<boolean> {
  await sqlExecute(sql`INSERT INTO "JobCron" (name, "nextRunAt") VALUES (${name}, now()) ON CONFLICT (name) DO NOTHING`, { kind: "point" });
  const taken = await sqlExecute(
    sql`
    UPDATE "JobCron" SET "nextRunAt" = now() + ${`${Math.round(everyMs * NEXT_TICK_FRACTION)} milliseconds`}::interval, "ranBy" = ${owner}
    WHERE name = ${name} AND "nextRunAt" <= now()`,
    { kind: "point" },
  );
  return taken === 1;
}
