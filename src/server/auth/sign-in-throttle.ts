import { Prisma } from "@/generated/prisma/client";
import { tooManyAttemptsMessage } from "@/lib/sign-in-errors";
import { db, type DbTx } from "../db";
import { sqlExecute, sqlRows } from "../db/sql";
import { AppError } from "../errors";
import { clientKey } from "../http/client-key";

/**
 * Brute-force protection for every place that checks a console password (sign-in, and sign-up
 * with an email that already has an account). Failures are counted per account (the email as
 * typed, known or not, so the throttle does not reveal which emails have accounts) and per client
 * address, in PostgreSQL so that the limit holds across instances.
 *
 * Each key allows a few failures in a row, then locks: the first lock lasts a minute and every
 * further failure doubles it, up to a cap. A run of failures ends after an hour without one, or
 * at a success (which clears the account's counter). The address allows more failures than an
 * account, since many people may share one (an office behind NAT), and counts IPv6 clients per
 * /64, the block one client usually holds.
 *
 * An attempt is counted before the password is checked, in one atomic statement per key that
 * also refuses it while the key is locked: a burst of concurrent guesses cannot all slip in before
 * the first failure is written. An attempt that succeeds (or ends in an error that is not a wrong
 * password) gives its count back.
 */
type ThrottlePolicy = { freeFailures: number; firstLockSeconds: number; maxLockSeconds: number };

const ACCOUNT_POLICY: ThrottlePolicy = { freeFailures: 5, firstLockSeconds: 60, maxLockSeconds: 15 * 60 };
const ADDRESS_POLICY: ThrottlePolicy = { freeFailures: 20, firstLockSeconds: 60, maxLockSeconds: 30 * 60 };

/** A run of failures ends after this long without another; older rows are as good as absent. */
const RUN_ENDS_AFTER_SECONDS = 60 * 60;
const PRUNE_EVERY_MS = 10 * 60_000;

/** Who is attempting: the email typed (null when it is not an email at all) and the client's address. */
export type AttemptSource = { email: string | null; clientAddress: string | null };

type Counter = { key: string; policy: ThrottlePolicy };
type Claim = Counter & { failures: number };

function accountKey(email: string): string {
  return `account:${email.trim().toLowerCase()}`;
}

/** IPv4 as is (also when IPv4-mapped); IPv6 as its /64: the same client key as the in-memory limits. */
function addressKey(address: string): string {
  return `address:${clientKey(address)}`;
}

/** The keys an attempt counts against, always in this order (account, then address): no deadlock between two claims. */
function countersFor(source: AttemptSource): Counter[] {
  const counters: Counter[] = [];
  if (source.email) counters.push({ key: accountKey(source.email), policy: ACCOUNT_POLICY });
  if (source.clientAddress) counters.push({ key: addressKey(source.clientAddress), policy: ADDRESS_POLICY });
  return counters;
}

/** The database's clock, as UTC wall time like the timestamps Prisma writes: one clock for every instance. */
const NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`;

/** When a key with `failures` failures in a row unlocks: null below the policy's free failures, then 1, 2, 4 … minutes, capped. */
function lockedUntilAfter(failures: Prisma.Sql, policy: ThrottlePolicy): Prisma.Sql {
  const free = Prisma.sql`${policy.freeFailures}::int`;
  const seconds = Prisma.sql`LEAST(${policy.firstLockSeconds}::float8 * power(2, LEAST(${failures} - ${free}, 30)), ${policy.maxLockSeconds}::float8)`;
  return Prisma.sql`CASE WHEN ${failures} >= ${free} THEN ${NOW} + make_interval(secs => ${seconds}) END`;
}

/**
 * How long a claim refused by a lock set in the last moment waits for the attempts in flight. A
 * count is taken before its password is checked, so a lock can come from attempts still being
 * checked: several concurrent sign-ins of one account with the right password (tabs, servers)
 * would otherwise lock each other out. Once the attempts in flight settle, a success clears the
 * account's count and the waiting claim goes through; failures leave the lock, and the claim is
 * refused as before. A lock last counted longer ago is refused at once.
 */
const SETTLE_SECONDS = 5;
const SETTLE_POLL_MS = 50;

class Locked extends Error {
  /** `recent`: the key was last counted within SETTLE_SECONDS, so attempts may still be in flight. */
  constructor(
    readonly retryAfterSeconds: number,
    readonly recent: boolean,
  ) {
    super("locked");
  }
}

/** Counts one attempt against `counter` unless it is locked, in one statement: the count and the check cannot race. */
async function claim(tx: DbTx, counter: Counter): Promise<Claim> {
  const runEnded = Prisma.sql`t."updatedAt" < ${NOW} - make_interval(secs => ${RUN_ENDS_AFTER_SECONDS}::float8)`;
  const failures = Prisma.sql`(CASE WHEN ${runEnded} THEN 1 ELSE t."failures" + 1 END)`;
  const rows = await sqlRows<{ failures: number }>(
    Prisma.sql`
    INSERT INTO "SignInThrottle" AS t ("key", "failures", "windowStart", "lockedUntil", "updatedAt")
    VALUES (${counter.key}, 1, ${NOW}, ${lockedUntilAfter(Prisma.sql`1`, counter.policy)}, ${NOW})
    ON CONFLICT ("key") DO UPDATE SET
      "failures" = ${failures},
      "windowStart" = CASE WHEN ${runEnded} THEN ${NOW} ELSE t."windowStart" END,
      "lockedUntil" = ${lockedUntilAfter(failures, counter.policy)},
      "updatedAt" = ${NOW}
    WHERE t."lockedUntil" IS NULL OR t."lockedUntil" <= ${NOW}
    RETURNING "failures"`,
    { kind: "point", tx },
  );
  const [row] = rows;
  if (row) return { ...counter, failures: row.failures };
  const [lock] = await sqlRows<{ seconds: number; sinceCount: number }>(
    Prisma.sql`
    SELECT EXTRACT(EPOCH FROM "lockedUntil" - ${NOW})::float8 AS "seconds",
      EXTRACT(EPOCH FROM ${NOW} - "updatedAt")::float8 AS "sinceCount"
    FROM "SignInThrottle" WHERE "key" = ${counter.key}`,
    { kind: "point", tx },
  );
  throw new Locked(Math.max(1, lock?.seconds ?? counter.policy.firstLockSeconds), (lock?.sinceCount ?? 0) < SETTLE_SECONDS);
}

/**
 * Claims every counter or none: a lock on one key rolls back the count on the others. A lock that
 * may come from attempts still in flight is waited on (SETTLE_SECONDS at most), then claimed again.
 */
async function claimAll(counters: Counter[]): Promise<Claim[]> {
  const settleBy = Date.now() + SETTLE_SECONDS * 1000;
  for (;;) {
    try {
      return await db().$transaction(async (tx) => {
        const claims: Claim[] = [];
        for (const counter of counters) claims.push(await claim(tx, counter));
        return claims;
      });
    } catch (error) {
      if (!(error instanceof Locked)) throw error;
      if (!error.recent || Date.now() >= settleBy) throw new AppError("TOO_MANY_REQUESTS", tooManyAttemptsMessage(error.retryAfterSeconds));
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    }
  }
}

/** Gives a claimed attempt back; the lock it set goes too, unless a later attempt has been counted since. */
async function giveBack(claim: Claim): Promise<void> {
  await sqlExecute(
    Prisma.sql`
    UPDATE "SignInThrottle" SET
      "failures" = "failures" - 1,
      "lockedUntil" = CASE WHEN "failures" = ${claim.failures}::int THEN NULL ELSE "lockedUntil" END
    WHERE "key" = ${claim.key} AND "failures" > 0`,
    { kind: "point" },
  );
}

let lastPrune = 0;

/** Drops rows whose run of failures has ended (they count as absent anyway), at most every few minutes per process. */
async function pruneEndedRuns(): Promise<void> {
  if (Date.now() - lastPrune < PRUNE_EVERY_MS) return;
  lastPrune = Date.now();
  await sqlExecute(
    Prisma.sql`
    DELETE FROM "SignInThrottle"
    WHERE "updatedAt" < ${NOW} - make_interval(secs => ${RUN_ENDS_AFTER_SECONDS}::float8)
      AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${NOW})`,
    { kind: "scan" },
  );
}

/**
 * Runs one password check under the throttle. `attempt` resolves to its result on success, to
 * null for wrong credentials (the failure stays counted), or throws (the attempt is given back).
 * Throws AppError TOO_MANY_REQUESTS, saying when to retry, while the account or address is locked.
 */
export async function throttledAttempt<T>(source: AttemptSource, attempt: () => Promise<T | null>): Promise<T | null> {
  const claims = await claimAll(countersFor(source));
  let result: T | null;
  try {
    result = await attempt();
  } catch (error) {
    await Promise.all(claims.map(giveBack));
    throw error;
  }
  if (result === null) return null;
  // A success ends the account's run of failures; the address only gets this attempt back.
  await Promise.all(
    claims.map((c) => (c.policy === ACCOUNT_POLICY ? db().signInThrottle.deleteMany({ where: { key: c.key } }) : giveBack(c))),
  );
  await pruneEndedRuns();
  return result;
}
