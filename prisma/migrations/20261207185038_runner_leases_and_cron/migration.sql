-- AlterTable
ALTER TABLE "ExportRun" ADD COLUMN     "owner" TEXT;

-- AlterTable
ALTER TABLE "JobRun" ADD COLUMN     "leaseOwner" TEXT,
ADD COLUMN     "leaseToken" UUID;

-- CreateTable
CREATE TABLE "JobCron" (
    "name" TEXT NOT NULL,
    "nextRunAt" TIMESTAMP(3) NOT NULL,
    "ranBy" TEXT,

    CONSTRAINT "JobCron_pkey" PRIMARY KEY ("name")
);

-- One RUNNING job per concurrency key (one sync per export profile), enforced by PostgreSQL: a
-- claim that would make a second one fails instead of running beside it. A unique partial index
-- rather than an advisory lock: it holds across instances without a dedicated connection per job,
-- survives a crash of the holder (the row stays RUNNING with an expiring lease, and only that row
-- can be claimed again), and the console and tests can read it. Older rows that break the rule
-- (written before it existed) are queued again first.
UPDATE "JobRun" j SET status = 'QUEUED', "leaseUntil" = NULL
WHERE j.status = 'RUNNING' AND j."concurrencyKey" IS NOT NULL
  AND EXISTS (SELECT 1 FROM "JobRun" o WHERE o."concurrencyKey" = j."concurrencyKey" AND o.status = 'RUNNING' AND o.id < j.id);
CREATE UNIQUE INDEX "JobRun_one_running_per_key" ON "JobRun"("concurrencyKey") WHERE status = 'RUNNING';
