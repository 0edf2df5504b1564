import { expect, type APIRequestContext, type Page } from "@playwright/test";

/** Generates (or regenerates) the tenant's SCIM token in the console and returns it as shown once. */
export async function generateScimTokenInConsole(page: Page, slug: string): Promise<string> {
  await page.goto(`/t/${slug}/scim-import`);
  const regenerate = page.getByRole("button", { name: "Regenerate token" });
  const action = (await regenerate.isVisible()) ? "Regenerate token" : "Generate token";
  await page.getByRole("button", { name: action }).click();
  await page.getByRole("dialog").getByRole("button", { name: action }).click();
  const field = page.getByRole("textbox", { name: "SCIM token" });
  await expect(field).toHaveValue(/^scim_/);
  const token = await field.inputValue();
  await page.getByRole("button", { name: "Done" }).click();
  return token;
}

/** A SCIM client of our own endpoint, as an IdP would call it. */
export function scimApi(request: APIRequestContext, slug: string, token: string) {
  return (method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", path: string, data?: unknown) =>
    request.fetch(`/api/scim/v2/${slug}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/scim+json", "User-Agent": "Okta SCIM Client 1.0.0" },
      ...(data === undefined ? {} : { data }),
    });
}
