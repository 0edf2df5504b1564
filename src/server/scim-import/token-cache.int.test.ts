/**
 * The token cache against a real PostgreSQL: a token replaced or a tenant renamed or deleted by
 * another process (plain SQL on another connection, as the CLI or a second server would) stops
 * opening the tenant at once, though this process had it remembered.
 */
import { captureLogs } from "@/testing/log-capture";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "../db";
import { USER_RESOURCE } from "../scim";
import { newScimTenant } from "../../testing/factories/scim-import";
import { ScimTokenCache, type CachedToken } from "../tenancy/scim-token-cache";
import { authenticateScimToken, hashScimToken } from "./tokens";

let other: pg.Client;
beforeAll(async () => {
  other = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await other.connect();
});
afterAll(() => other.end());

/** Polls until `check` holds; the notification takes a moment to arrive. */
async function eventually(check: () => Promise<boolean> | boolean): Promise<void> {
  await vi.waitUntil(check, { timeout: 3_000, interval: 10 });
}

/** Authenticates until an answer was remembered (the listener connects on first use). */
async function warm(slug: string, token: string): Promise<void> {
  const first = await authenticateScimToken({ unverifiedSlug: slug, token });
  expect(first).not.toBeNull();
  await eventually(
    async () =>
      (await other.query(`SELECT 1 FROM pg_stat_activity WHERE query = 'LISTEN scim_token_changed' AND state = 'idle'`)).rowCount! > 0,
  );
  expect(await authenticateScimToken({ unverifiedSlug: slug, token })).not.toBeNull();
}

describe("authenticateScimToken with the token cache", () => {
  it("refuses a token replaced from another connection, and opens with the new one", async () => {
    const tenant = await newScimTenant();
    await warm(tenant.slug, tenant.token);
    const replacement = "scim_replaced-by-another-process";
    await other.query(`UPDATE "ScimToken" SET "tokenHash" = $1 WHERE "tenantId" = $2`, [hashScimToken(replacement), tenant.id]);
    await eventually(async () => (await authenticateScimToken({ unverifiedSlug: tenant.slug, token: tenant.token })) === null);
    expect(await authenticateScimToken({ unverifiedSlug: tenant.slug, token: replacement })).toMatchObject({
      id: tenant.id,
      slug: tenant.slug,
    });
  });

  it("refuses the old slug once the tenant is renamed, and everything once it is deleted", async () => {
    const tenant = await newScimTenant();
    await warm(tenant.slug, tenant.token);
    const renamed = `${tenant.slug}-renamed`;
    await other.query(`UPDATE "Tenant" SET slug = $1 WHERE id = $2`, [renamed, tenant.id]);
    await eventually(async () => (await authenticateScimToken({ unverifiedSlug: tenant.slug, token: tenant.token })) === null);
    await warm(renamed, tenant.token);
    await other.query(`DELETE FROM "Tenant" WHERE id = $1`, [tenant.id]);
    await eventually(async () => (await authenticateScimToken({ unverifiedSlug: renamed, token: tenant.token })) === null);
  });

  it("takes in the tenant's User extension settings changed from another connection", async () => {
    const tenant = await newScimTenant();
    await warm(tenant.slug, tenant.token);
    const urn = "urn:ietf:params:scim:schemas:extension:acme:2.0:User";
    const declares = async () =>
      (await authenticateScimToken({ unverifiedSlug: tenant.slug, token: tenant.token }))?.userResource.extensions.some(
        (extension) => extension.schema.id === urn,
      ) ?? false;
    expect(await declares()).toBe(false);
    const settings = { undeclared: "refuse", extensions: [{ urn, attributes: [{ name: "costCenter", type: "string", description: "" }] }] };
    await other.query(`UPDATE "Tenant" SET "scimUserExtensions" = $1 WHERE id = $2`, [JSON.stringify(settings), tenant.id]);
    await eventually(declares);
    const resource = (await authenticateScimToken({ unverifiedSlug: tenant.slug, token: tenant.token }))?.userResource;
    expect(resource?.undeclaredExtensions).toBe("refuse");
  });

  it("keeps remembered answers when only lastUsedAt changes", async () => {
    const tenant = await newScimTenant();
    await warm(tenant.slug, tenant.token);
    await db().scimToken.updateMany({ where: { tenantId: tenant.id }, data: { lastUsedAt: new Date() } });
    // No notification for that column: the answer still comes from memory, and it is still right.
    expect(await authenticateScimToken({ unverifiedSlug: tenant.slug, token: tenant.token })).toMatchObject({
      id: tenant.id,
      slug: tenant.slug,
    });
  });
});

describe("ScimTokenCache", () => {
  const entry: CachedToken = {
    tenantId: "00000000-0000-4000-8000-000000000001",
    slug: "acme",
    tokenId: "00000000-0000-4000-8000-000000000002",
    lastUsedAt: 0,
    userResource: USER_RESOURCE,
  };

  it("remembers nothing until it listens, then forgets everything on a notification", async () => {
    const cache = new ScimTokenCache(() => process.env.DATABASE_URL!);
    try {
      cache.remember("k", entry, cache.begin());
      expect(cache.get("k")).toBeUndefined();
      await eventually(() => {
        cache.remember("k", entry, cache.begin());
        return cache.get("k") !== undefined;
      });
      await other.query(`SELECT pg_notify('scim_token_changed', '')`);
      await eventually(() => cache.get("k") === undefined);
    } finally {
      await cache.stop();
    }
  });

  it("does not remember an answer read before a change was announced", async () => {
    const cache = new ScimTokenCache(() => process.env.DATABASE_URL!);
    try {
      await eventually(() => {
        cache.remember("warm", entry, cache.begin());
        return cache.get("warm") !== undefined;
      });
      const generation = cache.begin();
      cache.forgetAll(); // a change announced while the answer was being read
      cache.remember("k", entry, generation);
      expect(cache.get("k")).toBeUndefined();
    } finally {
      await cache.stop();
    }
  });

  it("remembers nothing when it cannot listen", async () => {
    const cache = new ScimTokenCache(() => "postgresql://nobody:wrong@127.0.0.1:1/none");
    const log = captureLogs("error");
    const errors = log.lines;
    try {
      const generation = cache.begin();
      await eventually(() => errors.length > 0); // the listener has given up connecting
      cache.remember("k", entry, generation);
      expect(cache.get("k")).toBeUndefined();
      expect(errors[0]!.msg).toMatch(/cannot listen for token changes/);
    } finally {
      log.restore();
      await cache.stop();
    }
  });
});
