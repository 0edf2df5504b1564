import { Prisma } from "@/generated/prisma/client";
import { createGroupCommit } from "../db/group-commit";
import { sqlExecute } from "../db/sql";
import { errorFields, log } from "../observability/logger";

/**
 * SCIM Import's provisioning events go to the ProvisioningEvent table here, each as the JSON
 * object scim-import/provisioning-events.ts shaped (redacted, in the table's column names).
 * Events of concurrent requests are inserted together, one statement per batch (../db/group-commit.ts).
 */
async function insertEvents(events: string[]): Promise<void> {
  await sqlExecute(
    Prisma.sql`
    INSERT INTO "ProvisioningEvent" ("tenantId", method, path, operation, "resourceType", "resourceId", "resourceName", status, "durationMs", "userAgent", "requestBody", "responseBody")
    SELECT "tenantId", method, path, operation, "resourceType", "resourceId", "resourceName", status, "durationMs", "userAgent", "requestBody", "responseBody"
    FROM json_populate_recordset(NULL::"ProvisioningEvent", ${`[${events.join(",")}]`}::json)`,
    { kind: "point" },
  );
}

/** A failure to record is logged and never fails the SCIM request; one bad event must not cost the others theirs. */
async function insertEventsOrLog(events: string[]): Promise<void> {
  try {
    await insertEvents(events);
  } catch (error) {
    for (const event of events.length > 1 ? events : []) await insertEvents([event]).catch(() => undefined);
    log().error(
      errorFields(error),
      `Could not record ${events.length === 1 ? "a SCIM provisioning event" : `a batch of ${events.length} SCIM provisioning events (retried one by one)`}`,
    );
  }
}

const eventWrites = createGroupCommit<string>({ write: insertEventsOrLog });

/** A place in the next batch, taken when a request starts: `submit` the event's JSON, or `release` it. */
export function expectEventWrite() {
  return eventWrites.expect();
}
