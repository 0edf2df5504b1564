import { expect, test } from "@playwright/test";
import { signUp } from "../src/testing/e2e/accounts";
import { callTrpc } from "../src/testing/e2e/trpc";

test("the audit log lists who changed what, filters it, shows before and after, and downloads it as CSV", async ({ page }) => {
  const owner = await signUp(page);

  // Two changes: the organisation renamed in Settings, a SCIM token generated.
  await page.getByRole("link", { name: "Tenant" }).click();
  await page.getByLabel("Organisation name").fill("Renamed for the auditor");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(/saved|renamed/i).first()).toBeVisible();
  const token = await callTrpc(page.request, "scimImport.generateToken", { tenantSlug: owner.slug }, "mutation");
  expect(token.status).toBe(200);
  const secret: string = token.body.result.data.json.token;

  await page.getByRole("link", { name: "Audit log" }).click();
  const table = page.getByRole("table", { name: "Audit log" });
  await expect(table).toContainText("SCIM token generated");
  await expect(table).toContainText("Organisation renamed");
  await expect(table).toContainText(owner.email);
  await expect(page.getByText("2 entries")).toBeVisible();

  // Filter by action: only the rename is left.
  await page.getByRole("combobox", { name: "Action" }).click();
  await page.getByRole("option", { name: "Organisation renamed" }).click();
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(table).not.toContainText("SCIM token generated");

  // The entry's values, before and after.
  await table.getByText("Organisation renamed").click();
  const values = page.getByRole("table", { name: "Changed values" });
  await expect(values).toContainText(owner.tenantName);
  await expect(values).toContainText("Renamed for the auditor");
  await page.keyboard.press("Escape");

  // The CSV carries the page's filter, and never the token.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
  const csv = await (await download.createReadStream()).toArray();
  const text = Buffer.concat(csv).toString("utf8");
  const lines = text.trim().split("\r\n");
  expect(lines[0]).toBe("time,who,action,object type,object id,object name,before,after,client address");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain("tenant.renamed");
  expect(text).not.toContain(secret);

  // Another tenant's log is not found.
  const other = await page.request.get(`/api/export/not-${owner.slug}/audit`);
  expect(other.status()).toBe(404);
});
