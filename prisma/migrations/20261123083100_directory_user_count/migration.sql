-- CreateTable
CREATE TABLE "DirectoryUserCount" (
    "tenantId" UUID NOT NULL,
    "slot" INTEGER NOT NULL,
    "users" BIGINT NOT NULL DEFAULT 0,
    "changes" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "DirectoryUserCount_pkey" PRIMARY KEY ("tenantId","slot")
);

-- AddForeignKey
ALTER TABLE "DirectoryUserCount" ADD CONSTRAINT "DirectoryUserCount_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The counts are kept by the triggers of DirectoryUser, so every writer (SCIM Import, the console,
-- the CLI, cascades from a deleted tenant) keeps them right, in the transaction of the writer. A
-- writer adds to the slot of its backend (pid % 16): concurrent creates in one tenant do not all
-- wait on one row lock until they commit. The migration runner splits scripts at every semicolon,
-- so function bodies have none or write theirs as \073.

-- Arguments: the tenant, users added (negative when removed), changes (always positive). A tenant
-- being deleted takes its counts with it (cascade): nothing is added for it.
CREATE FUNCTION "directoryUserCountAdd"(uuid, bigint, bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "DirectoryUserCount" AS c ("tenantId", slot, users, changes)
  SELECT $1, pg_backend_pid() % 16, $2, $3 WHERE EXISTS (SELECT 1 FROM "Tenant" t WHERE t.id = $1)
  ON CONFLICT ("tenantId", slot) DO UPDATE SET users = c.users + EXCLUDED.users, changes = c.changes + EXCLUDED.changes
$$;

CREATE FUNCTION "directoryUserCountInserted"() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  PERFORM "directoryUserCountAdd"(n."tenantId", n.count, n.count) FROM (SELECT "tenantId", count(*) AS count FROM inserted GROUP BY "tenantId") n\073
  RETURN NULL\073
END';

CREATE FUNCTION "directoryUserCountDeleted"() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  PERFORM "directoryUserCountAdd"(d."tenantId", -d.count, d.count) FROM (SELECT "tenantId", count(*) AS count FROM deleted GROUP BY "tenantId") d\073
  RETURN NULL\073
END';

-- A row that changes tenant, id or createdAt (nothing does today) changes the sets and orders the
-- counts vouch for: it counts as one user deleted and one inserted.
CREATE FUNCTION "directoryUserCountMoved"() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  PERFORM "directoryUserCountAdd"(OLD."tenantId", -1, 1)\073
  PERFORM "directoryUserCountAdd"(NEW."tenantId", 1, 1)\073
  RETURN NULL\073
END';

-- TRUNCATE empties every tenant, and `changes` still only grows.
CREATE FUNCTION "directoryUserCountTruncated"() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  UPDATE "DirectoryUserCount" SET users = 0, changes = changes + 1\073
  RETURN NULL\073
END';

CREATE TRIGGER "DirectoryUser_count_inserted" AFTER INSERT ON "DirectoryUser"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION "directoryUserCountInserted"();
CREATE TRIGGER "DirectoryUser_count_deleted" AFTER DELETE ON "DirectoryUser"
  REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION "directoryUserCountDeleted"();
CREATE TRIGGER "DirectoryUser_count_moved" AFTER UPDATE OF "tenantId", id, "createdAt" ON "DirectoryUser" FOR EACH ROW
  WHEN (OLD."tenantId" IS DISTINCT FROM NEW."tenantId" OR OLD.id IS DISTINCT FROM NEW.id OR OLD."createdAt" IS DISTINCT FROM NEW."createdAt")
  EXECUTE FUNCTION "directoryUserCountMoved"();
CREATE TRIGGER "DirectoryUser_count_truncated" AFTER TRUNCATE ON "DirectoryUser"
  FOR EACH STATEMENT EXECUTE FUNCTION "directoryUserCountTruncated"();

-- The users already there (the triggers exist from here on).
INSERT INTO "DirectoryUserCount" ("tenantId", slot, users, changes)
SELECT "tenantId", 0, count(*), count(*) FROM "DirectoryUser" GROUP BY "tenantId";
