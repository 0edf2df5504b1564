import { expect, test } from "@playwright/test";
import { newOwner } from "../src/testing/e2e/accounts";

/**
 * The installation's very first visitor. Runs before every other spec (its own Playwright project,
 * which the others depend on), so the database has no account yet.
 */
test("a first visitor to / lands on sign-up while no account exists, later ones on sign-in; the favicon is linked and served", async ({
  page,
  browser,
  baseURL,
}) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-up$/);

  const href = await page.locator('head link[rel="icon"]').first().getAttribute("href");
  expect(href).toMatch(/^\/icon\.svg/);
  const icon = await page.request.get(href!);
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");

  // Signing up by hand rather than with signUp(): the fresh server's first console page loads its
  // code first, which on a busy machine takes longer than the default wait.
  const owner = newOwner();
  await page.getByLabel("Your name").fill(owner.name);
  await page.getByLabel("Work email").fill(owner.email);
  await page.getByRole("textbox", { name: "Password" }).fill(owner.password);
  await page.getByLabel("Organisation name").fill(owner.tenantName);
  await page.getByLabel("Organisation URL name").fill(owner.slug);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${owner.slug}$`), { timeout: 60_000 });

  const visitor = await browser.newContext({ baseURL });
  const visitorPage = await visitor.newPage();
  await visitorPage.goto("/");
  await expect(visitorPage).toHaveURL(/\/sign-in/);
  await visitor.close();
});
