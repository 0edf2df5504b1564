-- CreateEnum
CREATE TYPE "AuthProtocol" AS ENUM ('SAML', 'OIDC');

-- CreateEnum
CREATE TYPE "AuthProfileStatus" AS ENUM ('ACTIVE', 'DISABLED');

-- CreateEnum
CREATE TYPE "SignInOutcome" AS ENUM ('SUCCESS', 'REFUSED');

-- CreateEnum
CREATE TYPE "SignInMode" AS ENUM ('PORTAL', 'TEST');

-- CreateTable
CREATE TABLE "AuthenticationProfile" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "protocol" "AuthProtocol" NOT NULL,
    "status" "AuthProfileStatus" NOT NULL DEFAULT 'ACTIVE',
    "priority" INTEGER NOT NULL DEFAULT 100,
    "jacksonClientId" TEXT NOT NULL,
    "idpEntityId" TEXT,
    "idpSsoUrl" TEXT,
    "idpCertExpiresAt" TIMESTAMP(3),
    "metadataUrl" TEXT,
    "oidcDiscoveryUrl" TEXT,
    "oidcClientId" TEXT,
    "oidcClientSecretEnc" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AuthenticationProfile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GroupAuthProfile" (
    "groupId" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "profileId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GroupAuthProfile_pkey" PRIMARY KEY ("groupId")
);

-- CreateTable
CREATE TABLE "SignInEvent" (
    "id" BIGSERIAL NOT NULL,
    "tenantId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "mode" "SignInMode" NOT NULL DEFAULT 'PORTAL',
    "email" TEXT,
    "directoryUserId" UUID,
    "profileId" UUID,
    "profileName" TEXT,
    "outcome" "SignInOutcome" NOT NULL,
    "reason" TEXT,
    "detail" TEXT,
    "claims" JSONB,
    "ipAddress" TEXT,
    "userAgent" TEXT,

    CONSTRAINT "SignInEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SsoConsumedAssertion" (
    "key" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SsoConsumedAssertion_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "AuthenticationProfile_jacksonClientId_key" ON "AuthenticationProfile"("jacksonClientId");

-- CreateIndex
CREATE INDEX "AuthenticationProfile_tenantId_priority_idx" ON "AuthenticationProfile"("tenantId", "priority");

-- CreateIndex
CREATE UNIQUE INDEX "AuthenticationProfile_tenantId_nameKey_key" ON "AuthenticationProfile"("tenantId", "nameKey");

-- CreateIndex
CREATE INDEX "GroupAuthProfile_profileId_idx" ON "GroupAuthProfile"("profileId");

-- CreateIndex
CREATE INDEX "GroupAuthProfile_tenantId_idx" ON "GroupAuthProfile"("tenantId");

-- CreateIndex
CREATE INDEX "SignInEvent_tenantId_at_id_idx" ON "SignInEvent"("tenantId", "at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "SignInEvent_tenantId_outcome_at_idx" ON "SignInEvent"("tenantId", "outcome", "at" DESC);

-- CreateIndex
CREATE INDEX "SsoConsumedAssertion_expiresAt_idx" ON "SsoConsumedAssertion"("expiresAt");

-- AddForeignKey
ALTER TABLE "AuthenticationProfile" ADD CONSTRAINT "AuthenticationProfile_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupAuthProfile" ADD CONSTRAINT "GroupAuthProfile_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "DirectoryGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupAuthProfile" ADD CONSTRAINT "GroupAuthProfile_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "AuthenticationProfile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupAuthProfile" ADD CONSTRAINT "GroupAuthProfile_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignInEvent" ADD CONSTRAINT "SignInEvent_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignInEvent" ADD CONSTRAINT "SignInEvent_directoryUserId_fkey" FOREIGN KEY ("directoryUserId") REFERENCES "DirectoryUser"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignInEvent" ADD CONSTRAINT "SignInEvent_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "AuthenticationProfile"("id") ON DELETE SET NULL ON UPDATE CASCADE;
