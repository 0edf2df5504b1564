-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "auditRetentionDays" INTEGER NOT NULL DEFAULT 400,
ADD COLUMN     "logRetentionDays" INTEGER NOT NULL DEFAULT 90;

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" BIGSERIAL NOT NULL,
    "tenantId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorAccountId" UUID,
    "actorLabel" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT,
    "targetName" TEXT,
    "before" JSONB,
    "after" JSONB,
    "clientAddress" TEXT,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditEntry_tenantId_at_id_idx" ON "AuditEntry"("tenantId", "at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "AuditEntry_tenantId_action_at_idx" ON "AuditEntry"("tenantId", "action", "at" DESC);

-- Retention bounds (the settings form says the same).
ALTER TABLE "Tenant" ADD CONSTRAINT "Tenant_logRetentionDays_range" CHECK ("logRetentionDays" BETWEEN 1 AND 3650);
ALTER TABLE "Tenant" ADD CONSTRAINT "Tenant_auditRetentionDays_range" CHECK ("auditRetentionDays" BETWEEN 30 AND 3650);

-- The audit log is append-only: no UPDATE ever, and DELETE only from retention, which sets
-- lifecycle.audit_pruning for its own transaction (SET LOCAL). TRUNCATE is refused too.
-- The migration runner splits scripts at every semicolon, so the bodies write theirs as \073.
CREATE FUNCTION "auditEntryAppendOnly"() RETURNS trigger LANGUAGE plpgsql
  AS E'BEGIN IF TG_OP = \'DELETE\' AND current_setting(\'lifecycle.audit_pruning\', true) = \'on\' THEN RETURN OLD\073 END IF\073 RAISE EXCEPTION \'AuditEntry is append-only (%)\', TG_OP USING ERRCODE = \'insufficient_privilege\'\073 END';

CREATE TRIGGER "AuditEntry_append_only" BEFORE UPDATE OR DELETE ON "AuditEntry"
  FOR EACH ROW EXECUTE FUNCTION "auditEntryAppendOnly"();

CREATE TRIGGER "AuditEntry_no_truncate" BEFORE TRUNCATE ON "AuditEntry"
  FOR EACH STATEMENT EXECUTE FUNCTION "auditEntryAppendOnly"();
