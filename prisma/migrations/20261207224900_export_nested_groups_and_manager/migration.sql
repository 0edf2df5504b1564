-- CreateEnum
CREATE TYPE "ExportNestedGroupsOnTarget" AS ENUM ('FLATTEN', 'NESTED');

-- AlterTable
ALTER TABLE "ExportProfile" ADD COLUMN     "nestedGroupsOnTarget" "ExportNestedGroupsOnTarget" NOT NULL DEFAULT 'FLATTEN';

-- AlterTable
ALTER TABLE "ExportLink" ADD COLUMN     "managerRemoteId" TEXT,
ADD COLUMN     "managerSetOn" TEXT;
