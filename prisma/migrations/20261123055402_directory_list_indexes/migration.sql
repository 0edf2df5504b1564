-- DropIndex
DROP INDEX "DirectoryUser_tenantId_email_idx";

-- CreateIndex
CREATE INDEX "DirectoryUser_tenantId_email_id_idx" ON "DirectoryUser"("tenantId", "email", "id");

-- CreateIndex
CREATE INDEX "DirectoryUser_tenantId_active_userNameKey_idx" ON "DirectoryUser"("tenantId", "active", "userNameKey");
