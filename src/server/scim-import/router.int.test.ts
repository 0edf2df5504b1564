/** The console side of SCIM Import: tRPC procedures (roles, token shown once) and the CLI command. */
import { describe, expect, it, vi } from "vitest";
import * as route from "@/app/api/scim/v2/[tenant]/[[...path]]/route";
import { scimTokenCreate } from "@/cli/commands/scim";
import { db } from "../db";
import { scimClient } from "../../testing/factories/scim-import";
import { newMemberOf, newOwner } from "../../testing/factories/trpc";

describe("scimImport router", () => {
  it("generates a token once, regenerating revokes the old one at once, viewers cannot generate", async () => {
    const owner = await newOwner();
    const tenantSlug = owner.slug;
    const before = await owner.caller.scimImport.settings({ tenantSlug });
    expect(before).toEqual({ baseUrl: `http://localhost:3000/api/scim/v2/${tenantSlug}`, token: null });

    const first = await owner.caller.scimImport.generateToken({ tenantSlug });
    expect(first.token).toMatch(/^scim_[A-Za-z0-9_-]{43}$/);
    const settings = await owner.caller.scimImport.settings({ tenantSlug });
    expect(settings.token).toMatchObject({ prefix: first.prefix, lastUsedAt: null });
    expect(JSON.stringify(settings)).not.toContain(first.token);
    // Only the hash is stored.
    const row = await db().scimToken.findFirstOrThrow({ where: { tenant: { slug: tenantSlug } } });
    expect(row.tokenHash).not.toContain(first.token);

    expect((await scimClient(route, { slug: tenantSlug, token: first.token })("GET", "/Users")).status).toBe(200);
    expect((await owner.caller.scimImport.settings({ tenantSlug })).token?.lastUsedAt).toBeInstanceOf(Date);
    const second = await owner.caller.scimImport.generateToken({ tenantSlug });
    expect((await scimClient(route, { slug: tenantSlug, token: first.token })("GET", "/Users")).status).toBe(401);
    expect((await scimClient(route, { slug: tenantSlug, token: second.token })("GET", "/Users")).status).toBe(200);

    const viewer = await newMemberOf(owner);
    await expect(viewer.scimImport.generateToken({ tenantSlug })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await viewer.scimImport.settings({ tenantSlug })).token?.prefix).toBe(second.prefix);
  });

  it("lists provisioning events with filters and shows one with its redacted bodies", async () => {
    const owner = await newOwner();
    const tenantSlug = owner.slug;
    const { token } = await owner.caller.scimImport.generateToken({ tenantSlug });
    const scim = scimClient(route, { slug: tenantSlug, token }, { userAgent: "Okta SCIM Client 1.0.0" });
    await scim("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "grace@example.com",
      password: "s3cret!",
    });
    await scim("POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "grace@example.com" });
    await scim("GET", "/Users?filter=userName%20eq%20%22grace%40example.com%22");

    const all = await owner.caller.scimImport.events({ tenantSlug });
    expect(all.total).toBe(3);
    expect(all.items.map((e) => e.operation)).toEqual(["lookup", "error", "user created"]);
    // A lookup reads as the filter the client sent, and is found by it.
    expect(all.items[0]).toMatchObject({ resourceType: "User", resourceName: 'userName eq "grace@example.com"' });
    expect((await owner.caller.scimImport.events({ tenantSlug, operation: "lookup", search: "grace" })).total).toBe(1);
    expect((await owner.caller.scimImport.events({ tenantSlug, result: "failure" })).items.map((e) => e.status)).toEqual([409]);
    // The failed request says what it tried and on whom, read back from its stored bodies; the others need no such reading.
    expect(all.items[1]!.failure).toEqual({
      action: "create user",
      resourceType: "User",
      subject: "grace@example.com",
      detail: expect.stringMatching(/^uniqueness: .*grace@example\.com/),
    });
    expect([all.items[0]!.failure, all.items[2]!.failure]).toEqual([null, null]);
    expect((await owner.caller.scimImport.events({ tenantSlug, operation: "user created", search: "GRACE" })).total).toBe(1);
    expect((await owner.caller.scimImport.events({ tenantSlug, from: new Date(Date.now() + 60_000) })).total).toBe(0);

    const created = all.items.find((e) => e.operation === "user created")!;
    const detail = await owner.caller.scimImport.event({ tenantSlug, eventId: created.id });
    expect(detail).toMatchObject({
      method: "POST",
      status: 201,
      userAgent: "Okta SCIM Client 1.0.0",
      resourceName: "grace@example.com",
      requestBody: { password: "[redacted]" },
    });

    const other = await newOwner();
    await expect(other.caller.scimImport.event({ tenantSlug: other.slug, eventId: created.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("npm run cli -- scim-token:create", () => {
  it("prints a working token alone on the last line", async () => {
    const owner = await newOwner();
    const lines: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    try {
      await scimTokenCreate.run({ tenant: owner.slug });
    } finally {
      log.mockRestore();
    }
    const token = lines.at(-1)!;
    expect(token).toMatch(/^scim_\S+$/);
    expect((await scimClient(route, { slug: owner.slug, token })("GET", "/ServiceProviderConfig")).status).toBe(200);
    await expect(scimTokenCreate.run({ tenant: "no-such-tenant" })).rejects.toThrow(/No tenant/);
  });
});
