import { expect, test } from "@playwright/test";
import { startDatabricksEmulator, type DatabricksEmulator } from "../src/testing/databricks-emulator";
import { signUp, unique } from "./support/factories";
import { openProfileTab, seedGroupWithUsers, toast } from "./support/scim-export";

/**
 * The SCIM Export admin flow of the product document (000_…txt, steps 1–17) in Chromium, against
 * the Databricks SCIM emulator on 127.0.0.1 (the e2e server runs with ALLOW_PRIVATE_TARGETS=true).
 */

const TOKEN = "dapi-e2e-good-token";
let emulator: DatabricksEmulator;

test.beforeAll(async () => {
  // A little latency per request, as a real target has, so a run is visibly in progress.
  emulator = await startDatabricksEmulator({ token: TOKEN, latencyMs: 150 });
});

test.afterAll(async () => {
  await emulator?.stop();
});

test("SCIM Export: add a Databricks profile, configure, map, assign groups, sync, provision on demand, read the logs", async ({ page }) => {
  test.setTimeout(180_000);
  const owner = await signUp(page);
  const tag = unique("e2e").replace(/[^a-z0-9]/gi, "");
  const alice = { userName: `alice.${tag}@example.com`, givenName: "Alice", familyName: "Doe", email: `alice.${tag}@example.com` };
  const bob = { userName: `bob.${tag}@example.com`, givenName: "Bob", familyName: "Roe", email: `bob.${tag}@example.com` };
  const groupName = `Data ${tag}`;
  await seedGroupWithUsers(page.request, owner.slug, groupName, [alice, bob]);

  // Step 1: IDAM → SCIM Export.
  await page.getByRole("navigation", { name: "Console navigation" }).getByRole("link", { name: "SCIM Export" }).click();
  await expect(page.getByRole("heading", { name: "SCIM Export", level: 2 })).toBeVisible();
  await expect(page.getByText("No export profiles yet")).toBeVisible();

  // Step 2: Add → Application Name, description → Save.
  await page.getByRole("button", { name: "Add", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Add SCIM Export profile" });
  await dialog.getByLabel("Application Name").fill("Databricks");
  await dialog.getByLabel("Description").fill("Analytics workspace");
  await dialog.getByRole("radio", { name: "Databricks" }).check();
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  const table = page.getByRole("table", { name: "SCIM Export profiles" });
  await expect(table).toContainText("Databricks");
  await expect(table).toContainText("Not configured");

  // Step 3: click the created profile.
  await table.getByRole("link", { name: "Databricks" }).click();
  await expect(page).toHaveURL(/\/scim-export\/[0-9a-f-]+\/configuration$/);
  await expect(page.getByRole("heading", { name: "Databricks", level: 2 })).toBeVisible();

  // Steps 4–5: Tenant URL and Secret Token, Test Connection — a wrong token reads as such.
  await page.getByLabel("Tenant URL").fill(emulator.workspaceUrl);
  await page.getByLabel("Secret Token").fill("dapi-wrong-token");
  await page.getByRole("button", { name: "Test Connection" }).click();
  const result = page.getByRole("region", { name: "Test Connection result" });
  await expect(result).toContainText("Connection failed");
  await expect(result).toContainText("Secret Token was refused (401)");
  await page.getByLabel("Secret Token").fill(TOKEN);
  await page.getByRole("button", { name: "Test Connection" }).click();
  await expect(result).toContainText("Connection succeeded");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(toast(page, "Configuration saved")).toBeVisible();
  // The token is write-only: masked after saving, never shown.
  await expect(page.getByLabel("Secret Token")).toHaveValue("");
  await expect(page.getByTestId("token-status")).toContainText("••••");
  expect(await page.content()).not.toContain(TOKEN);

  // Steps 6–8: User Mapping (an expression error shows under its field; the preview renders the payload), Save; Group Mapping, Save.
  await openProfileTab(page, "Mapping");
  await page.getByRole("tab", { name: "User Mapping" }).click();
  const userMapping = page.getByRole("form", { name: "User Mapping" });
  await userMapping.getByRole("button", { name: "Add row" }).click();
  const rows = await userMapping.getByLabel(/^Target attribute, row \d+$/).count();
  expect(rows).toBeGreaterThan(5);
  await userMapping.getByLabel(`Target attribute, row ${rows}`).fill("title");
  await userMapping.getByLabel(`Source type, row ${rows}`).click();
  await page.getByRole("option", { name: "Expression" }).click();
  const expression = userMapping.getByLabel(`Expression, row ${rows}`);
  await expression.fill('ToUpper([familyName]');
  await expect(userMapping.getByText(/at character \d+/)).toBeVisible();
  await expression.fill('Join(" ", "Analyst", ToUpper([familyName]))');
  await expect(userMapping.getByText(/at character \d+/)).toBeHidden();

  const preview = page.getByRole("combobox", { name: "Preview for user" });
  await preview.click();
  await preview.pressSequentially("alice");
  await page.getByRole("option", { name: new RegExp(`alice\\.${tag}`) }).click();
  const payload = page.getByLabel("Payload preview");
  await expect(payload).toContainText(`"userName": "${alice.email}"`);
  await expect(payload).toContainText("Analyst DOE");
  await userMapping.getByRole("button", { name: "Save" }).click();
  await expect(toast(page, "User mapping saved")).toBeVisible();

  await page.getByRole("tab", { name: "Group Mapping" }).click();
  const groupMapping = page.getByRole("form", { name: "Group Mapping" });
  await expect(groupMapping.getByLabel("Target attribute, row 1")).toHaveValue("displayName");
  await groupMapping.getByRole("button", { name: "Save" }).click();
  await expect(toast(page, "Group mapping saved")).toBeVisible();

  // Steps 9–10: Groups → assign the user group.
  await openProfileTab(page, "Groups");
  await page.getByPlaceholder("Search groups").fill(tag);
  await page.getByRole("option", { name: new RegExp(groupName) }).click();
  await page.getByRole("button", { name: "Assign", exact: true }).click();
  const assigned = page.getByRole("table", { name: "Assigned groups" });
  await expect(assigned.getByRole("row", { name: new RegExp(groupName) })).toContainText("2");

  // Steps 11–12: Sync → "User and group sync queued", and live progress.
  await page.getByRole("button", { name: "Sync", exact: true }).click();
  await expect(toast(page, "User and group sync queued")).toBeVisible();
  await expect(page.getByRole("status", { name: "Sync progress" })).toBeVisible();

  // Steps 13–15: About → Provision on Demand → "SCIM sync initiated".
  await openProfileTab(page, "About");
  await expect(page.getByRole("table", { name: "About this profile" })).toContainText("Analytics workspace");
  await page.getByRole("button", { name: "Provision on Demand" }).click();
  await expect(toast(page, "SCIM sync initiated")).toBeVisible();
  await expect(page.getByTestId("synced-users")).toHaveText("2", { timeout: 60_000 });
  await expect(page.getByTestId("synced-groups")).toHaveText("1");
  await expect(page.getByRole("status", { name: "Sync progress" })).toBeHidden({ timeout: 30_000 });

  // Provision one user on demand: each step, with the attributes sent and the target's answer.
  const one = page.getByRole("combobox", { name: "User", exact: true });
  await one.click();
  await one.pressSequentially("bob");
  await page.getByRole("option", { name: new RegExp(`bob\\.${tag}`) }).click();
  await page.getByRole("button", { name: "Provision", exact: true }).click();
  const steps = page.getByLabel("Provisioning steps");
  await expect(steps).toContainText(bob.email);
  await expect(steps.locator(".mantine-Timeline-item")).not.toHaveCount(0);

  // Steps 16–17: Logs → the run → user created, group created.
  await openProfileTab(page, "Logs");
  const runs = page.getByRole("table", { name: "Sync runs" });
  await expect(runs).toContainText("Succeeded");
  await runs.getByRole("row").filter({ hasText: "User created" }).getByRole("link").click();
  const operations = page.getByRole("table", { name: "Operations" });
  const opRows = operations.getByRole("row");
  await expect(opRows.filter({ hasText: alice.email }).filter({ hasText: "User created" })).toHaveCount(1);
  await expect(opRows.filter({ hasText: bob.email }).filter({ hasText: "User created" })).toHaveCount(1);
  await expect(opRows.filter({ hasText: groupName }).filter({ hasText: "Group created" })).toHaveCount(1);
  await expect(opRows.filter({ hasText: groupName }).filter({ hasText: "Members added" })).toHaveCount(1);
  await page.getByRole("combobox", { name: "Result" }).click();
  await page.getByRole("option", { name: "Error" }).click();
  await expect(operations).toContainText("No operation matches these filters.");
  await page.getByRole("combobox", { name: "Result" }).click();
  await page.getByRole("option", { name: "Success" }).click();
  await page.getByRole("combobox", { name: "Object type" }).click();
  await page.getByRole("option", { name: "Groups" }).click();
  await expect(opRows.filter({ hasText: alice.email }).filter({ hasText: "User created" })).toHaveCount(0);
  await expect(opRows.filter({ hasText: groupName }).filter({ hasText: "Group created" })).toHaveCount(1);

  // Post-configuration verification: the users and the group exist in Databricks.
  const remoteAlice = emulator.userByName(alice.email);
  expect(remoteAlice?.active).toBe(true);
  expect(remoteAlice?.emails[0]?.value).toBe(alice.email);
  expect(emulator.userByName(bob.email)?.active).toBe(true);
  const remoteGroup = emulator.groupByName(groupName);
  expect(remoteGroup).toBeTruthy();
  expect([...(remoteGroup?.members ?? [])].sort()).toEqual([remoteAlice!.id, emulator.userByName(bob.email)!.id].sort());
  expect(emulator.counters.valueFormRemoves).toBe(0);
});
