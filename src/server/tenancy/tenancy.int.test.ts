import { describe, expect, it } from "vitest";
import { createCaller } from "../trpc/router";
import { newAccount, newOwner } from "../../testing/factories/trpc";
import { signUp } from "./accounts";

let n = 0;
function unique(prefix: string) {
  n += 1;
  return `${prefix}-${n}-${Math.random().toString(36).slice(2, 7)}`;
}

describe("tenancy", () => {
  it("signs up an owner of a new tenant and refuses a taken slug, or a taken email without its password", async () => {
    const owner = await newOwner();
    const me = await owner.caller.account.me();
    expect(me.tenants).toEqual([expect.objectContaining({ slug: owner.slug, role: "OWNER" })]);
    await expect(
      signUp({ email: "other@example.com", password: "correct horse battery", name: "X", tenant: { slug: owner.slug, name: "Y" } }),
    ).rejects.toMatchObject({ code: "CONFLICT", field: "slug" });
    // A taken email is answered like a failed sign-in (tests/security/sign-up-enumeration.int.test.ts).
    await expect(
      signUp({ email: owner.email.toUpperCase(), password: "another horse battery", name: "X", tenant: { slug: unique("s"), name: "Y" } }),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("invites a member, who accepts with the matching account", async () => {
    const owner = await newOwner();
    const invitee = await newAccount();
    const { invitePath } = await owner.caller.tenant.invite({ tenantSlug: owner.slug, email: invitee.email, role: "VIEWER" });
    const token = invitePath.split("/").at(-1)!;
    const stranger = await newAccount();
    await expect(stranger.caller.tenant.acceptInvitation({ token })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(invitee.caller.tenant.acceptInvitation({ token })).resolves.toEqual({ tenantSlug: owner.slug });
    await expect(invitee.caller.tenant.acceptInvitation({ token })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const members = await owner.caller.tenant.members({ tenantSlug: owner.slug });
    expect(members.map((m) => m.role).sort()).toEqual(["OWNER", "VIEWER"]);
  });

  it("lets viewers read but not write, and hides other tenants entirely", async () => {
    const owner = await newOwner();
    const viewer = await newAccount();
    const { invitePath } = await owner.caller.tenant.invite({ tenantSlug: owner.slug, email: viewer.email, role: "VIEWER" });
    await viewer.caller.tenant.acceptInvitation({ token: invitePath.split("/").at(-1)! });
    await expect(viewer.caller.tenant.get({ tenantSlug: owner.slug })).resolves.toMatchObject({ role: "VIEWER" });
    await expect(viewer.caller.tenant.rename({ tenantSlug: owner.slug, name: "Hacked" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viewer.caller.tenant.invite({ tenantSlug: owner.slug, email: "x@example.com", role: "ADMIN" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });

    const outsider = await newOwner();
    await expect(outsider.caller.tenant.get({ tenantSlug: owner.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(outsider.caller.tenant.members({ tenantSlug: owner.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("keeps at least one owner", async () => {
    const owner = await newOwner();
    await expect(owner.caller.tenant.leave({ tenantSlug: owner.slug })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      owner.caller.tenant.changeRole({ tenantSlug: owner.slug, accountId: owner.session.accountId, role: "ADMIN" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    const second = await newAccount();
    const { invitePath } = await owner.caller.tenant.invite({ tenantSlug: owner.slug, email: second.email, role: "OWNER" });
    await second.caller.tenant.acceptInvitation({ token: invitePath.split("/").at(-1)! });
    await owner.caller.tenant.leave({ tenantSlug: owner.slug });
    await expect(owner.caller.tenant.get({ tenantSlug: owner.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses unauthenticated calls", async () => {
    await expect(createCaller({ session: null }).account.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
