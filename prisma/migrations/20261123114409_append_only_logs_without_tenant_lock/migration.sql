-- DropForeignKey
ALTER TABLE "DirectoryChange" DROP CONSTRAINT "DirectoryChange_tenantId_fkey";

-- DropForeignKey
ALTER TABLE "ProvisioningEvent" DROP CONSTRAINT "ProvisioningEvent_tenantId_fkey";

-- A foreign key's check share-locks the referenced row: every event and change row locked the
-- tenant's one row, so concurrent requests of a tenant contended on it (multixacts, WAL for each
-- lock). A deleted tenant's rows go as they did with ON DELETE CASCADE, by trigger.
-- The migration runner splits scripts at every semicolon, so the body writes its own as \073.
CREATE FUNCTION "deleteTenantLogs"() RETURNS trigger LANGUAGE plpgsql
  AS E'BEGIN DELETE FROM "ProvisioningEvent" WHERE "tenantId" = OLD.id\073 DELETE FROM "DirectoryChange" WHERE "tenantId" = OLD.id\073 RETURN NULL\073 END';

CREATE TRIGGER "Tenant_deleted_logs" AFTER DELETE ON "Tenant"
  FOR EACH ROW EXECUTE FUNCTION "deleteTenantLogs"();
