import { expect, type Page } from "@playwright/test";

let counter = 0;
/** Unique per test run and per call, so tests never collide on emails or slugs. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

export type Owner = { name: string; email: string; password: string; tenantName: string; slug: string };

export function newOwner(): Owner {
  const slug = unique("org");
  return {
    name: "Olivia Owner",
    email: `${unique("owner")}@example.com`,
    password: "correct horse battery staple",
    tenantName: `Org ${slug}`,
    slug,
  };
}

/** Signs up through the form; ends on the new tenant's Overview. */
export async function signUp(page: Page, owner: Owner = newOwner()): Promise<Owner> {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill(owner.name);
  await page.getByLabel("Work email").fill(owner.email);
  await page.getByRole("textbox", { name: "Password" }).fill(owner.password);
  await page.getByLabel("Organisation name").fill(owner.tenantName);
  await page.getByLabel("Organisation URL name").fill(owner.slug);
  await page.getByRole("button", { name: "Create account" }).click();
  // Sign-up opens the console with a full page load (src/lib/enter-console.ts), slower than the default wait on a busy machine.
  await expect(page).toHaveURL(new RegExp(`/t/${owner.slug}$`), { timeout: 30_000 });
  return owner;
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("textbox", { name: "Password" }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Account menu" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}
