import { expect, test } from "@playwright/test";
import { newOwner } from "../../src/testing/e2e/accounts";

/**
 * Issue 13 item 5 in the browser: the sign-up form states the rule, checks the length itself, and
 * shows the server's refusal of a guessable password under the password field.
 */
test("sign-up shows the password rule and refuses a guessable password under the field", async ({ page }) => {
  const owner = newOwner();
  await page.goto("/sign-up");
  await expect(page.getByText("At least 12 characters; avoid common words and patterns")).toBeVisible();
  await page.getByLabel("Your name").fill(owner.name);
  await page.getByLabel("Work email").fill(owner.email);
  await page.getByLabel("Organisation name").fill(owner.tenantName);
  await page.getByLabel("Organisation URL name").fill(owner.slug);
  const password = page.getByRole("textbox", { name: "Password" });

  await password.fill("password12");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Use at least 12 characters.")).toBeVisible();

  await password.fill("password1234");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(password).toHaveAccessibleDescription(/This password is too easy to guess/);
  await expect(page).toHaveURL(/\/sign-up/);

  await password.fill(owner.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${owner.slug}$`));
});
