-- DropIndex
DROP INDEX "DirectoryUser_tenantId_active_userNameKey_idx";

-- CreateIndex
CREATE INDEX "DirectoryUser_tenantId_userNameKey_id_idx" ON "DirectoryUser"("tenantId", "userNameKey", "id");

-- CreateIndex
CREATE INDEX "DirectoryUser_tenantId_active_userNameKey_id_idx" ON "DirectoryUser"("tenantId", "active", "userNameKey", "id");
