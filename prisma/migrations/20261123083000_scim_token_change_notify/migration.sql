-- SCIM Import remembers which tenant a token opens (src/server/scim-import/token-cache.ts). Every
-- change that can make a remembered answer wrong notifies the channel, whoever makes it (console,
-- CLI, another server, a cascade), so that every server forgets at once.
-- The migration runner splits scripts at every semicolon, so the body writes its own as \073.
CREATE FUNCTION "notifyScimTokenChanged"() RETURNS trigger LANGUAGE plpgsql
  AS E'BEGIN PERFORM pg_notify(''scim_token_changed'', '''')\073 RETURN NULL\073 END';

CREATE TRIGGER "ScimToken_changed" AFTER UPDATE OF "tokenHash", "tenantId" OR DELETE ON "ScimToken"
  FOR EACH STATEMENT EXECUTE FUNCTION "notifyScimTokenChanged"();

CREATE TRIGGER "Tenant_changed" AFTER UPDATE OF slug OR DELETE ON "Tenant"
  FOR EACH STATEMENT EXECUTE FUNCTION "notifyScimTokenChanged"();
