import { expect, test, type Page } from "@playwright/test";
import { newOwner, signOut, signUp } from "../../src/testing/e2e/accounts";

/** Every page the browser tries to open on another origin (before the fix: http://evil.example/). */
function offSiteNavigations(page: Page, baseURL: string): string[] {
  const seen: string[] = [];
  page.on("request", (request) => {
    if (request.isNavigationRequest() && new URL(request.url()).origin !== new URL(baseURL).origin) seen.push(request.url());
  });
  return seen;
}

/**
 * Issue 13 item 3 in the browser: a real sign-in (and sign-up) with a hostile callbackUrl stays on
 * the console's origin. The query strings are written as a phishing link would be: `%5C` is a
 * backslash, `%09` a tab, which the old "starts with / and not //" check let through and
 * Chromium then read as `//evil.example`.
 */
const hostileQueries: Array<[string, string]> = [
  ["/\\evil.example", "callbackUrl=/%5Cevil.example"],
  ["/%09/evil.example", "callbackUrl=/%09/evil.example"],
  ["/<tab>\\evil.example", "callbackUrl=/%09%5Cevil.example"],
];

for (const [name, query] of hostileQueries) {
  test(`sign-in with callbackUrl=${name} stays on the console's origin`, async ({ page, baseURL }) => {
    const owner = await signUp(page);
    await signOut(page);
    const offSite = offSiteNavigations(page, baseURL!);
    await page.goto(`/sign-in?${query}`);
    await page.getByLabel("Email").fill(owner.email);
    await page.getByRole("textbox", { name: "Password" }).fill(owner.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL((url) => url.origin === new URL(baseURL!).origin && url.pathname === `/t/${owner.slug}`);
    expect(offSite).toEqual([]);
  });

  test(`sign-up with callbackUrl=${name} stays on the console's origin`, async ({ page, baseURL }) => {
    const owner = newOwner();
    const offSite = offSiteNavigations(page, baseURL!);
    await page.goto(`/sign-up?${query}`);
    await page.getByLabel("Your name").fill(owner.name);
    await page.getByLabel("Work email").fill(owner.email);
    await page.getByRole("textbox", { name: "Password" }).fill(owner.password);
    await page.getByLabel("Organisation name").fill(owner.tenantName);
    await page.getByLabel("Organisation URL name").fill(owner.slug);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL((url) => url.origin === new URL(baseURL!).origin && url.pathname === `/t/${owner.slug}`);
    expect(offSite).toEqual([]);
  });
}

test("a same-origin callbackUrl is still followed after sign-in", async ({ page }) => {
  const owner = await signUp(page);
  await signOut(page);
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(`/t/${owner.slug}/groups?from=link#top`)}`);
  await page.getByLabel("Email").fill(owner.email);
  await page.getByRole("textbox", { name: "Password" }).fill(owner.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${owner.slug}/groups\\?from=link#top$`));
});
