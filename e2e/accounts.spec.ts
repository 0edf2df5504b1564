import { expect, test } from "@playwright/test";
import { newOwner, signIn, signOut, signUp } from "../src/testing/e2e/accounts";

test("sign up creates the account and its organisation, then sign out and back in", async ({ page }) => {
  const owner = await signUp(page);
  await expect(page.getByRole("navigation", { name: "Console navigation" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Switch organisation" })).toHaveText(owner.tenantName);
  await signOut(page);

  await signIn(page, owner.email, "wrong password!!");
  await expect(page.getByText("That email and password do not match an account.")).toBeVisible();

  await signIn(page, owner.email.toUpperCase(), owner.password);
  await expect(page).toHaveURL(new RegExp(`/t/${owner.slug}$`));
});

test("sign-up form explains what is wrong, field by field", async ({ page }) => {
  const taken = await signUp(page);
  await signOut(page);
  await page.goto("/sign-up");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter your name.")).toBeVisible();
  await expect(page.getByText("Use at least 12 characters.")).toBeVisible();

  const other = newOwner();
  await page.getByLabel("Your name").fill(other.name);
  await page.getByLabel("Work email").fill(other.email);
  await page.getByRole("textbox", { name: "Password" }).fill(other.password);
  await page.getByLabel("Organisation name").fill("Another org");
  await page.getByLabel("Organisation URL name").fill(taken.slug);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText(`The URL name "${taken.slug}" is taken`)).toBeVisible();
});

test("health answers once the server can serve", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ ok: true, database: "reachable" });
});
