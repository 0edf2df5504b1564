-- AlterTable: profiles that exist were created as SP-initiated only and stay so (false);
-- profiles created from now on allow IdP-initiated sign-in (the default becomes true).
ALTER TABLE "AuthenticationProfile" ADD COLUMN     "allowIdpInitiated" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "metadataCheckedAt" TIMESTAMP(3);
ALTER TABLE "AuthenticationProfile" ALTER COLUMN "allowIdpInitiated" SET DEFAULT true;

-- CreateTable
CREATE TABLE "AuthProfileEvent" (
    "id" BIGSERIAL NOT NULL,
    "tenantId" UUID NOT NULL,
    "profileId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,

    CONSTRAINT "AuthProfileEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuthProfileEvent_profileId_at_idx" ON "AuthProfileEvent"("profileId", "at" DESC);

-- CreateIndex
CREATE INDEX "AuthProfileEvent_tenantId_idx" ON "AuthProfileEvent"("tenantId");

-- AddForeignKey
ALTER TABLE "AuthProfileEvent" ADD CONSTRAINT "AuthProfileEvent_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "AuthenticationProfile"("id") ON DELETE CASCADE ON UPDATE CASCADE;
