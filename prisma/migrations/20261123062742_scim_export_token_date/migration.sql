-- AlterTable
ALTER TABLE "ExportProfile" ADD COLUMN     "tokenUpdatedAt" TIMESTAMP(3);
