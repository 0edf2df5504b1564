import { describe, expect, it } from "vitest";
import { db } from "../db";
import { newAccount, newOwner } from "../../testing/factories/trpc";
import { createCaller } from "../trpc/router";
import { runAsActor } from "./context";
import { recordAudit } from "./record";

const cli = { actor: { kind: "cli" as const }, clientAddress: null };

async function entriesOf(tenantId: string) {
  return db().auditEntry.findMany({ where: { tenantId }, orderBy: { id: "asc" } });
}

describe("audit log", () => {
  it("commits an entry with its change and leaves none when the change rolls back", async () => {
    const owner = await newOwner();
    await expect(
      runAsActor(cli, () =>
        db().$transaction(async (tx) => {
          await tx.tenant.update({ where: { id: owner.tenantId }, data: { name: "Rolled back" } });
          await recordAudit(tx, {
            tenantId: owner.tenantId,
            action: "tenant.renamed",
            target: { type: "tenant" },
            after: { name: "Rolled back" },
          });
          throw new Error("the change fails after its entry was written");
        }),
      ),
    ).rejects.toThrow("the change fails");
    expect(await entriesOf(owner.tenantId)).toEqual([]);
    expect((await db().tenant.findUniqueOrThrow({ where: { id: owner.tenantId } })).name).toBe("Acme");

    await runAsActor(cli, () =>
      db().$transaction(async (tx) => {
        await tx.tenant.update({ where: { id: owner.tenantId }, data: { name: "Kept" } });
        await recordAudit(tx, { tenantId: owner.tenantId, action: "tenant.renamed", target: { type: "tenant" }, after: { name: "Kept" } });
      }),
    );
    expect(await entriesOf(owner.tenantId)).toEqual([
      expect.objectContaining({ actorLabel: "operator CLI", actorAccountId: null, action: "tenant.renamed" }),
    ]);
  });

  it("records console changes with the account, client address, values before and after, and no secret", async () => {
    const owner = await newOwner();
    const caller = createCaller({ session: owner.session, clientAddress: "203.0.113.9" });
    await caller.tenant.rename({ tenantSlug: owner.slug, name: "Renamed" });
    const { token, prefix } = await caller.scimImport.generateToken({ tenantSlug: owner.slug });
    const invitee = await newAccount();
    await caller.tenant.invite({ tenantSlug: owner.slug, email: invitee.email, role: "ADMIN" });

    const { items, total } = await caller.audit.list({ tenantSlug: owner.slug });
    expect(total).toBe(3);
    expect(items.map((e) => e.action)).toEqual(["member.invited", "scim_token.generated", "tenant.renamed"]);
    expect(items[2]).toMatchObject({
      actorLabel: owner.email,
      actorAccountId: owner.accountId,
      clientAddress: "203.0.113.9",
      before: { name: "Acme" },
      after: { name: "Renamed" },
    });
    expect(items[1]).toMatchObject({ targetName: prefix, after: { prefix } });
    expect(JSON.stringify(items)).not.toContain(token);
    expect(JSON.stringify(items)).not.toContain(token.slice(prefix.length));

    // Filters: action, actor, object.
    expect((await caller.audit.list({ tenantSlug: owner.slug, action: "tenant.renamed" })).total).toBe(1);
    expect((await caller.audit.list({ tenantSlug: owner.slug, actor: "nobody@" })).total).toBe(0);
    expect((await caller.audit.list({ tenantSlug: owner.slug, object: invitee.email })).items).toEqual([
      expect.objectContaining({ action: "member.invited" }),
    ]);
  });

  it("is append-only in the database: UPDATE, DELETE and TRUNCATE are refused except by retention", async () => {
    const owner = await newOwner();
    const caller = createCaller({ session: owner.session });
    await caller.tenant.rename({ tenantSlug: owner.slug, name: "Once" });
    const [entry] = await entriesOf(owner.tenantId);
    await expect(db().auditEntry.update({ where: { id: entry!.id }, data: { actorLabel: "someone else" } })).rejects.toThrow(/append-only/);
    await expect(db().auditEntry.delete({ where: { id: entry!.id } })).rejects.toThrow(/append-only/);
    await expect(db().$executeRawUnsafe(`TRUNCATE "AuditEntry"`)).rejects.toThrow(/append-only/);
    expect(await entriesOf(owner.tenantId)).toHaveLength(1);
    await db().$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL lifecycle.audit_pruning = 'on'`);
      await tx.auditEntry.delete({ where: { id: entry!.id } });
    });
    expect(await entriesOf(owner.tenantId)).toEqual([]);
  });

  it("records nothing for reads, nor for work outside a console or CLI request", async () => {
    const owner = await newOwner();
    await owner.caller.tenant.members({ tenantSlug: owner.slug });
    await db().$transaction((tx) => recordAudit(tx, { tenantId: owner.tenantId, action: "tenant.renamed", target: { type: "tenant" } }));
    expect(await entriesOf(owner.tenantId)).toEqual([]);
  });
});
