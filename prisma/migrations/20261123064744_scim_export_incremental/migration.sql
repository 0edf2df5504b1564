-- AlterTable
ALTER TABLE "ExportProfile" ADD COLUMN     "fullSyncHours" INTEGER NOT NULL DEFAULT 24,
ADD COLUMN     "lastFullSyncAt" TIMESTAMP(3),
ADD COLUMN     "syncedAt" TIMESTAMP(3),
ADD COLUMN     "syncedChangeId" BIGINT,
ADD COLUMN     "syncedRunId" UUID,
ADD COLUMN     "syncedSettingsHash" TEXT;

-- AlterTable
ALTER TABLE "ExportRun" ADD COLUMN     "fullSync" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "mode" TEXT,
ADD COLUMN     "planChangeId" BIGINT,
ADD COLUMN     "plannedAt" TIMESTAMP(3),
ADD COLUMN     "settingsHash" TEXT;
