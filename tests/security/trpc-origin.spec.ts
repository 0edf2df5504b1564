import { expect, test } from "@playwright/test";
import { newOwner, signUp, unique } from "../../src/testing/e2e/accounts";
import { callTrpc } from "../../src/testing/e2e/trpc";

/**
 * Issue 13, item 9: a tRPC mutation runs only for a same-origin caller. A browser always says
 * where a request comes from (Sec-Fetch-Site, Origin); these requests forge what a browser on
 * another site would send, with the victim's session cookie, and must change nothing.
 */

const crossSiteHeaders: [string, Record<string, string>][] = [
  ["Origin of another site", { origin: "https://evil.example" }],
  ["Origin of another port of this host", { origin: "http://localhost:1" }],
  ["Origin null (sandboxed frame, data: URL)", { origin: "null" }],
  ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
  ["Sec-Fetch-Site: same-site (a sibling subdomain)", { "sec-fetch-site": "same-site" }],
  ["Sec-Fetch-Site: none (typed into the address bar)", { "sec-fetch-site": "none" }],
  ["our Origin but Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site", origin: "APP_ORIGIN" }],
];

test.describe("tRPC mutations refuse cross-site callers", () => {
  for (const [name, forged] of crossSiteHeaders) {
    test(`${name}: 403 in tRPC's error format, nothing changed`, async ({ page, baseURL }) => {
      const owner = await signUp(page);
      const headers = Object.fromEntries(Object.entries(forged).map(([k, v]) => [k, v.replace("APP_ORIGIN", new URL(baseURL!).origin)]));
      const displayName = unique("csrf");

      const response = await page.request.post("/api/trpc/groups.create", {
        data: { json: { tenantSlug: owner.slug, displayName } },
        headers,
      });
      expect(response.status()).toBe(403);
      const body = await response.json();
      expect(body.error.json.data.code).toBe("FORBIDDEN");
      expect(body.error.json.message).toMatch(/another site|same origin/i);

      const groups = await callTrpc(page.request, "groups.list", { tenantSlug: owner.slug, search: displayName }, "query");
      expect(groups.body.result.data.json.total).toBe(0);
    });
  }

  test("a batched call is refused call by call, in the batch's own format", async ({ page }) => {
    const owner = await signUp(page);
    const response = await page.request.post("/api/trpc/groups.create,groups.create?batch=1", {
      data: {
        0: { json: { tenantSlug: owner.slug, displayName: unique("a") } },
        1: { json: { tenantSlug: owner.slug, displayName: unique("b") } },
      },
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect(response.status()).toBe(403);
    const body = await response.json();
    expect(body).toHaveLength(2);
    for (const entry of body) expect(entry.error.json.data.code).toBe("FORBIDDEN");
  });

  test("sign-up from another site is refused (no login CSRF into an attacker's account)", async ({ request }) => {
    const owner = newOwner();
    const response = await request.post("/api/trpc/account.signUp", {
      data: {
        json: { name: owner.name, email: owner.email, password: owner.password, tenantName: owner.tenantName, tenantSlug: owner.slug },
      },
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect(response.status()).toBe(403);
    expect((await response.json()).error.json.data.code).toBe("FORBIDDEN");
  });
});

test.describe("same-origin callers keep working", () => {
  test("a browser's same-origin mutation (Origin and Sec-Fetch-Site as Chromium sends them) succeeds", async ({ page, baseURL }) => {
    const owner = await signUp(page);
    const response = await page.request.post("/api/trpc/groups.create", {
      data: { json: { tenantSlug: owner.slug, displayName: unique("ok") } },
      headers: { origin: new URL(baseURL!).origin, "sec-fetch-site": "same-origin" },
    });
    expect(response.status()).toBe(200);
  });

  test("a caller that sends neither header (a script, the CLI's HTTP peers) is not a browser on another site", async ({ page }) => {
    const owner = await signUp(page);
    const created = await callTrpc(page.request, "groups.create", { tenantSlug: owner.slug, displayName: unique("script") }, "mutation");
    expect(created.status).toBe(200);
  });

  test("the console itself creates a group through the UI", async ({ page }) => {
    const owner = await signUp(page);
    const displayName = unique("ui");
    await page.goto(`/t/${owner.slug}/groups`);
    await page.getByRole("button", { name: "Create group" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Create group" });
    await dialog.getByLabel("Group name").fill(displayName);
    await dialog.getByRole("button", { name: "Create group" }).click();
    await expect(page.getByRole("table", { name: "User groups" })).toContainText(displayName);
  });

  test("reads (GET queries) are not refused: the browser's CORS rules keep their answers from other sites", async ({ page }) => {
    const owner = await signUp(page);
    const response = await page.request.get(
      `/api/trpc/groups.list?input=${encodeURIComponent(JSON.stringify({ json: { tenantSlug: owner.slug } }))}`,
      {
        headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      },
    );
    expect(response.status()).toBe(200);
  });
});
