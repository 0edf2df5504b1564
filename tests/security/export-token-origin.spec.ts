import { expect, test } from "@playwright/test";
import { startDatabricksEmulator, type DatabricksEmulator } from "../../src/testing/databricks-emulator";
import { signUp } from "../../src/testing/e2e/accounts";
import { createConfiguredProfile, toast } from "../../src/testing/e2e/scim-export";

/**
 * Issue 13, item 7, in the console: the Configuration tab says up front that a Tenant URL on
 * another host needs the Secret Token typed again (the field becomes required), refuses Test
 * Connection and Save without it under the token field, and never lets the stored token reach the
 * new host. A new path on the same host keeps the stored token.
 */

const TOKEN = "dapi-e2e-origin-token";
let saved: DatabricksEmulator;
let elsewhere: DatabricksEmulator;

test.beforeAll(async () => {
  [saved, elsewhere] = await Promise.all([startDatabricksEmulator({ token: TOKEN }), startDatabricksEmulator({ token: TOKEN })]);
});
test.afterAll(async () => {
  await Promise.all([saved?.stop(), elsewhere?.stop()]);
});

test("a Tenant URL on another host makes the Secret Token required; the stored one never goes there", async ({ page }) => {
  const owner = await signUp(page);
  const profileId = await createConfiguredProfile(page.request, owner.slug, {
    name: "Databricks",
    baseUrl: saved.workspaceUrl,
    token: TOKEN,
    groupIds: [],
  });
  await page.goto(`/t/${owner.slug}/scim-export/${profileId}/configuration`);
  const url = page.getByLabel("Tenant URL");
  const token = page.getByLabel("Secret Token");
  const form = page.getByRole("form", { name: "Configuration" });
  await expect(url).toHaveValue(saved.workspaceUrl);
  await expect(form).toContainText("Leave empty to keep it");

  // Another host: the form says so before anything is sent.
  await url.fill(elsewhere.workspaceUrl);
  await expect(form).toContainText("Required: the Tenant URL points at another host");
  await page.getByRole("button", { name: "Test Connection" }).click();
  await expect(form).toContainText("Enter the Secret Token again: the Tenant URL points at another host");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(form).toContainText("Enter the Secret Token again");
  await expect(toast(page, "Configuration saved")).toHaveCount(0);
  expect(elsewhere.requests).toEqual([]);

  // Another path on the same host: the stored token is kept.
  await url.fill(saved.accountUrl("2.0"));
  await expect(form).toContainText("Leave empty to keep it");
  await page.getByRole("button", { name: "Test Connection" }).click();
  await expect(page.getByRole("region", { name: "Test Connection result" })).toContainText("Connection succeeded");

  // Typed again, the token goes to the new host.
  await url.fill(elsewhere.workspaceUrl);
  await token.fill(TOKEN);
  await page.getByRole("button", { name: "Test Connection" }).click();
  await expect(page.getByRole("region", { name: "Test Connection result" })).toContainText("Connection succeeded");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(toast(page, "Configuration saved")).toBeVisible();
  expect(elsewhere.requests.length).toBeGreaterThan(0);
});
