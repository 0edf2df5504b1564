import { expect, type Page } from "@playwright/test";

/** Signs in at the end-user portal; the test IdP signs in whoever its `nextUser` is. */
export async function portalSignIn(page: Page, slug: string, email: string) {
  await page.goto(`/portal/${slug}/sign-in`);
  await page.getByLabel("Work email").fill(email);
  await page.getByRole("button", { name: "Continue" }).click();
}

/** Picks an option of a Mantine Select by its label. */
export async function chooseOption(page: Page, label: string, option: string | RegExp) {
  const select = page.getByRole("combobox", { name: label });
  await select.click();
  await page.getByRole("option", { name: option }).click();
  await expect(select).toHaveValue(option);
}
