-- CreateIndex
CREATE INDEX "DirectoryUser_tenantId_userNameKey_id_searchText_idx" ON "DirectoryUser"("tenantId", "userNameKey", "id", "searchText");
