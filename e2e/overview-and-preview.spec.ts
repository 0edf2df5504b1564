import { expect, test } from "@playwright/test";
import { startDatabricksEmulator, type DatabricksEmulator } from "../src/testing/databricks-emulator";
import { signUp, unique } from "../src/testing/e2e/accounts";
import { createConfiguredProfile, seedGroupWithUsers } from "../src/testing/e2e/scim-export";

/** The tenant overview (empty, then with a profile) and Preview sync in Chromium, against the Databricks emulator. */

const TOKEN = "dapi-e2e-preview-token";
let emulator: DatabricksEmulator;

test.beforeAll(async () => {
  emulator = await startDatabricksEmulator({ token: TOKEN });
});
test.afterAll(async () => {
  await emulator?.stop();
});

test("overview of a new tenant, then Preview sync shows what Sync would do and the target sees only reads", async ({ page }) => {
  test.setTimeout(180_000);
  const owner = await signUp(page);
  await page.goto(`/t/${owner.slug}`);
  await expect(page.getByRole("heading", { name: "Overview", level: 2 })).toBeVisible();
  await expect(page.getByText("No SCIM request yet.")).toBeVisible();
  await expect(page.getByText("No export profile yet.")).toBeVisible();
  await expect(page.getByText("No sign-in was refused.")).toBeVisible();

  const tag = unique("pv").replace(/[^a-z0-9]/gi, "");
  const alice = { userName: `alice.${tag}@example.com`, givenName: "Alice", familyName: "Doe", email: `alice.${tag}@example.com` };
  const groupName = `Data ${tag}`;
  const { groupId } = await seedGroupWithUsers(page.request, owner.slug, groupName, [alice]);
  const profileId = await createConfiguredProfile(page.request, owner.slug, {
    name: "Databricks",
    baseUrl: emulator.workspaceUrl,
    token: TOKEN,
    groupIds: [groupId],
  });

  await page.reload();
  await expect(
    page.getByRole("region", { name: "Provisioned in the last 24 hours" }).getByRole("group", { name: "Users created" }),
  ).toContainText("1");
  const profiles = page.getByRole("table", { name: "Export profiles" });
  // Assigning the group queued a sync: the profile reads Healthy once it ran.
  await expect(profiles).toContainText("Healthy", { timeout: 60_000 });
  await expect.poll(() => emulator.users().length, { timeout: 30_000 }).toBe(1);
  // Someone changes Alice on the target: the preview shows the repair with both values.
  emulator.users()[0]!.name = { givenName: "Mallory", familyName: "Doe" };
  await profiles.getByRole("link", { name: "Databricks" }).click();
  await expect(page).toHaveURL(new RegExp(`/scim-export/${profileId}`));

  emulator.requests = [];
  await page.getByRole("button", { name: "Preview sync" }).click();
  const dialog = page.getByRole("dialog", { name: "Preview sync" });
  await expect(dialog.getByRole("group", { name: "Users updated" })).toContainText("1", { timeout: 60_000 });
  const planned = dialog.getByRole("table", { name: "Planned changes" });
  await expect(planned).toContainText(alice.userName);
  await expect(planned).toContainText("Mallory");
  await expect(planned).toContainText("Alice");
  expect(emulator.requests.length).toBeGreaterThan(0);
  expect(emulator.requests.filter((r) => r.method !== "GET")).toEqual([]);
  expect(emulator.users()[0]!.name?.givenName).toBe("Mallory");
});
