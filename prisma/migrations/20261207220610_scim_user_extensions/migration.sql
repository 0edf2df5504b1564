-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "scimUserExtensions" JSONB NOT NULL DEFAULT '{}';

-- A token check remembers the tenant's extension settings with the token (scim-import/tokens.ts):
-- a change to them must make every server forget, as a changed slug does.
DROP TRIGGER "Tenant_changed" ON "Tenant";

CREATE TRIGGER "Tenant_changed" AFTER UPDATE OF slug, "scimUserExtensions" OR DELETE ON "Tenant"
  FOR EACH STATEMENT EXECUTE FUNCTION "notifyScimTokenChanged"();
