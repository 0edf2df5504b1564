-- CreateEnum
CREATE TYPE "ExportTargetType" AS ENUM ('DATABRICKS', 'SCIM');

-- CreateEnum
CREATE TYPE "ExportLeaveAction" AS ENUM ('DEACTIVATE', 'DELETE');

-- CreateEnum
CREATE TYPE "ExportRunTrigger" AS ENUM ('MANUAL', 'ON_DEMAND', 'SCHEDULE', 'CHANGE');

-- CreateEnum
CREATE TYPE "ExportRunStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED', 'NEEDS_CONFIRMATION', 'CANCELLED');

-- CreateEnum
CREATE TYPE "ExportObjectType" AS ENUM ('USER', 'GROUP');

-- CreateEnum
CREATE TYPE "ExportOperationResult" AS ENUM ('SUCCESS', 'SKIPPED', 'ERROR');

-- CreateEnum
CREATE TYPE "JobRunStatus" AS ENUM ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED');

-- CreateTable
CREATE TABLE "ExportProfile" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "type" "ExportTargetType" NOT NULL,
    "baseUrl" TEXT,
    "tokenCiphertext" TEXT,
    "tokenLast4" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "scheduleMinutes" INTEGER DEFAULT 40,
    "leaveAction" "ExportLeaveAction" NOT NULL DEFAULT 'DEACTIVATE',
    "deletionThreshold" INTEGER NOT NULL DEFAULT 50,
    "includeNestedGroups" BOOLEAN NOT NULL DEFAULT false,
    "matchOrder" TEXT[] DEFAULT ARRAY['userName', 'externalId']::TEXT[],
    "userMapping" JSONB NOT NULL DEFAULT '[]',
    "groupMapping" JSONB NOT NULL DEFAULT '[]',
    "requestsPerSecond" INTEGER,
    "concurrency" INTEGER NOT NULL DEFAULT 4,
    "quarantinedUntil" TIMESTAMP(3),
    "quarantineReason" TEXT,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "lastConnection" JSONB,
    "nextSyncAt" TIMESTAMP(3),
    "lastSyncAt" TIMESTAMP(3),
    "lastSyncStatus" "ExportRunStatus",
    "changeWatermark" BIGINT NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ExportProfile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExportAssignedGroup" (
    "profileId" UUID NOT NULL,
    "groupId" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExportAssignedGroup_pkey" PRIMARY KEY ("profileId","groupId")
);

-- CreateTable
CREATE TABLE "ExportLink" (
    "profileId" UUID NOT NULL,
    "objectType" "ExportObjectType" NOT NULL,
    "localId" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "remoteId" TEXT NOT NULL,
    "remoteName" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ExportLink_pkey" PRIMARY KEY ("profileId","objectType","localId")
);

-- CreateTable
CREATE TABLE "ExportMemberLink" (
    "profileId" UUID NOT NULL,
    "groupLocalId" UUID NOT NULL,
    "userLocalId" UUID NOT NULL,

    CONSTRAINT "ExportMemberLink_pkey" PRIMARY KEY ("profileId","groupLocalId","userLocalId")
);

-- CreateTable
CREATE TABLE "ExportRun" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "profileId" UUID NOT NULL,
    "trigger" "ExportRunTrigger" NOT NULL,
    "status" "ExportRunStatus" NOT NULL DEFAULT 'QUEUED',
    "phase" TEXT NOT NULL DEFAULT 'queued',
    "done" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL DEFAULT 0,
    "counts" JSONB NOT NULL DEFAULT '{}',
    "stats" JSONB NOT NULL DEFAULT '{}',
    "subjectUserId" UUID,
    "confirmedDeletions" BOOLEAN NOT NULL DEFAULT false,
    "pendingDeletions" INTEGER,
    "message" TEXT,
    "requestedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "durationMs" INTEGER,

    CONSTRAINT "ExportRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExportOperation" (
    "id" BIGSERIAL NOT NULL,
    "runId" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "profileId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "objectType" "ExportObjectType" NOT NULL,
    "localId" UUID,
    "remoteId" TEXT,
    "name" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "result" "ExportOperationResult" NOT NULL,
    "changes" JSONB,
    "reason" TEXT,
    "httpStatus" INTEGER,
    "request" JSONB,
    "response" JSONB,

    CONSTRAINT "ExportOperation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobRun" (
    "id" UUID NOT NULL,
    "functionId" TEXT NOT NULL,
    "eventName" TEXT NOT NULL,
    "eventData" JSONB NOT NULL,
    "concurrencyKey" TEXT,
    "status" "JobRunStatus" NOT NULL DEFAULT 'QUEUED',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "runAfter" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" TIMESTAMP(3),
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "JobRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobStep" (
    "runId" UUID NOT NULL,
    "stepId" TEXT NOT NULL,
    "output" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JobStep_pkey" PRIMARY KEY ("runId","stepId")
);

-- CreateIndex
CREATE INDEX "ExportProfile_tenantId_createdAt_idx" ON "ExportProfile"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "ExportProfile_nextSyncAt_idx" ON "ExportProfile"("nextSyncAt");

-- CreateIndex
CREATE UNIQUE INDEX "ExportProfile_tenantId_nameKey_key" ON "ExportProfile"("tenantId", "nameKey");

-- CreateIndex
CREATE INDEX "ExportAssignedGroup_groupId_idx" ON "ExportAssignedGroup"("groupId");

-- CreateIndex
CREATE INDEX "ExportLink_profileId_objectType_remoteId_idx" ON "ExportLink"("profileId", "objectType", "remoteId");

-- CreateIndex
CREATE INDEX "ExportMemberLink_profileId_userLocalId_idx" ON "ExportMemberLink"("profileId", "userLocalId");

-- CreateIndex
CREATE INDEX "ExportRun_tenantId_profileId_createdAt_idx" ON "ExportRun"("tenantId", "profileId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "ExportRun_profileId_status_idx" ON "ExportRun"("profileId", "status");

-- CreateIndex
CREATE INDEX "ExportOperation_runId_id_idx" ON "ExportOperation"("runId", "id");

-- CreateIndex
CREATE INDEX "ExportOperation_tenantId_profileId_at_idx" ON "ExportOperation"("tenantId", "profileId", "at" DESC);

-- CreateIndex
CREATE INDEX "JobRun_status_runAfter_idx" ON "JobRun"("status", "runAfter");

-- CreateIndex
CREATE INDEX "JobRun_concurrencyKey_status_idx" ON "JobRun"("concurrencyKey", "status");

-- AddForeignKey
ALTER TABLE "ExportProfile" ADD CONSTRAINT "ExportProfile_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExportAssignedGroup" ADD CONSTRAINT "ExportAssignedGroup_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "ExportProfile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExportAssignedGroup" ADD CONSTRAINT "ExportAssignedGroup_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "DirectoryGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExportLink" ADD CONSTRAINT "ExportLink_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "ExportProfile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExportMemberLink" ADD CONSTRAINT "ExportMemberLink_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "ExportProfile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExportRun" ADD CONSTRAINT "ExportRun_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "ExportProfile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExportOperation" ADD CONSTRAINT "ExportOperation_runId_fkey" FOREIGN KEY ("runId") REFERENCES "ExportRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JobStep" ADD CONSTRAINT "JobStep_runId_fkey" FOREIGN KEY ("runId") REFERENCES "JobRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
