-- DropIndex
DROP INDEX "DirectoryUser_tenantId_active_userNameKey_id_idx";

-- DropIndex
DROP INDEX "DirectoryUser_tenantId_updatedAt_id_idx";

-- Room on each page for the new version of an updated row, so that the update can be HOT
-- (heap-only, no index touched). It applies to pages written from now on.
ALTER TABLE "DirectoryUser" SET (fillfactor = 85);
