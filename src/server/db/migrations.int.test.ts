import { describe, expect, it } from "vitest";
import { currentSchema, lastMigratedSchema } from "./migrations";
import { diffDatamodels } from "./schema-engine";

describe("migrations", () => {
  it("cover every change to prisma/schema.prisma (run `npm run db:migration -- <name>` if this fails)", async () => {
    const pending = await diffDatamodels(process.env.DATABASE_URL!, await lastMigratedSchema(), await currentSchema());
    expect(pending, "schema.prisma has changes that no migration contains").toBe("");
  });

  it("produce the schema the client is generated from", async () => {
    const { db } = await import("../db");
    // A query on every model fails if the migrated tables lag behind the generated client.
    const client = db();
    await Promise.all([
      client.account.count(),
      client.tenant.count(),
      client.membership.count(),
      client.invitation.count(),
      client.directoryUser.count(),
      client.directoryGroup.count(),
      client.groupMember.count(),
      client.groupNesting.count(),
      client.directoryChange.count(),
      client.scimToken.count(),
      client.provisioningEvent.count(),
    ]);
  });
});
