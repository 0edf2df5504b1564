import { expect, test, type Page } from "@playwright/test";
import { startDatabricksEmulator, type DatabricksEmulator } from "../src/testing/databricks-emulator";
import { signUp, unique } from "../src/testing/e2e/accounts";
import { createConfiguredProfile, openProfileTab, seedGroupWithUsers, toast } from "../src/testing/e2e/scim-export";

/**
 * Issue 14 in Chromium: the target changed behind the product's back (a user deleted, a
 * displayName changed, a member taken out of a managed group) is put right by a full reconcile, and
 * the Logs say so as repairs; a run the target refuses reads as failed, never as "up to date"; a
 * Test Connection result does not outlive an edit of the URL or token.
 */

const TOKEN = "dapi-e2e-drift-token";
let emulator: DatabricksEmulator;

test.beforeAll(async () => {
  emulator = await startDatabricksEmulator({ token: TOKEN, latencyMs: 20 });
});

test.afterAll(async () => {
  await emulator?.stop();
});

/** Waits for the profile's current run (if any) to end: its live progress disappears. */
async function waitForRunToEnd(page: Page) {
  await expect(page.getByRole("status", { name: "Sync progress" })).toBeHidden({ timeout: 60_000 });
}

test("drift on the target: Sync reads the target and repairs it, and Logs word each repair", async ({ page }) => {
  test.setTimeout(180_000);
  const owner = await signUp(page);
  const tag = unique("drift").replace(/[^a-z0-9]/gi, "");
  const person = (name: string) => ({
    userName: `${name}.${tag}@example.com`,
    givenName: name[0]!.toUpperCase() + name.slice(1),
    familyName: "Drift",
    email: `${name}.${tag}@example.com`,
  });
  const [alice, bob, carol] = [person("alice"), person("bob"), person("carol")];
  const groupName = `Data Engineers ${tag}`;
  const { groupId } = await seedGroupWithUsers(page.request, owner.slug, groupName, [alice, bob, carol]);
  const profileId = await createConfiguredProfile(page.request, owner.slug, {
    name: `Databricks ${tag}`,
    baseUrl: emulator.workspaceUrl,
    token: TOKEN,
    groupIds: [groupId],
  });

  // First sync, from the console.
  await page.goto(`/t/${owner.slug}/scim-export/${profileId}/about`);
  await page.getByRole("button", { name: "Sync", exact: true }).click();
  await expect(toast(page, "User and group sync queued")).toBeVisible();
  await expect(page.getByTestId("synced-users")).toHaveText("3", { timeout: 60_000 });
  await waitForRunToEnd(page);
  const remote = (u: { userName: string }) => emulator.userByName(u.userName);
  const remoteGroupId = emulator.groupByName(groupName)!.id;
  expect(emulator.groupByName(groupName)!.members).toHaveLength(3);

  // Someone else, in the Databricks workspace: deletes alice, renames bob, takes carol out of the group.
  emulator.adminDeleteUser(remote(alice)!.id);
  emulator.adminEditUser(remote(bob)!.id, { displayName: "Someone Else" });
  emulator.adminEditGroup(remoteGroupId, { remove: [remote(carol)!.id] });
  expect(remote(alice)).toBeUndefined();

  // Nothing changed in the directory: only a sync that reads the target can see the drift.
  await page.getByRole("button", { name: "Sync", exact: true }).click();
  // The first sync's toast may still be on screen: this press gets its own.
  await expect(toast(page, "User and group sync queued").last()).toBeVisible();
  await expect.poll(() => Boolean(remote(alice)), { timeout: 60_000, intervals: [500], message: "alice created again" }).toBe(true);
  await waitForRunToEnd(page);

  // The target holds the right state again.
  expect(remote(alice)?.active).toBe(true);
  expect(remote(bob)?.displayName).toBe("Bob Drift");
  expect([...emulator.groupByName(groupName)!.members].sort()).toEqual([remote(alice)!.id, remote(bob)!.id, remote(carol)!.id].sort());

  // Logs: the newest manual run is the full pass, and it reads as repairs. (A change-triggered run for
  // the seeded directory may be listed above it: the change poll can notice those writes late.)
  await openProfileTab(page, "Logs");
  const runs = page.getByRole("table", { name: "Sync runs" });
  const newest = runs.getByRole("row").filter({ hasText: "Sync (manual)" }).first();
  await expect(newest).toContainText("Full pass");
  await expect(newest).toContainText("Succeeded");
  await expect(newest).toContainText("1 user created");
  await expect(newest).toContainText("1 user updated");
  await expect(newest).toContainText(new RegExp(`2 members added to ${groupName}`));
  await newest.getByRole("link").click();

  await expect(page.getByLabel("Run outcome")).toContainText(`2 members added to ${groupName}`);
  const operations = page.getByRole("table", { name: "Operations" }).getByRole("row");
  await expect(operations.filter({ hasText: alice.userName }).filter({ hasText: "User created" })).toContainText(
    "re-created: missing on the target",
  );
  await expect(operations.filter({ hasText: bob.userName }).filter({ hasText: "User updated" })).toContainText(
    "reset: displayName was changed on the target",
  );
  await expect(operations.filter({ hasText: bob.userName })).toContainText("Someone Else");
  await expect(
    operations
      .filter({ hasText: groupName })
      .filter({ hasText: "Members added" })
      .filter({ hasText: "re-added: removed on the target by someone else (1 member)." }),
  ).toContainText(carol.userName);
});

test("a run the target refuses reads as failed, never as up to date; a tested connection does not outlive an edit", async ({ page }) => {
  test.setTimeout(120_000);
  const owner = await signUp(page);
  const tag = unique("refused").replace(/[^a-z0-9]/gi, "");
  const { groupId } = await seedGroupWithUsers(page.request, owner.slug, `Finance ${tag}`, [
    { userName: `dana.${tag}@example.com`, givenName: "Dana", familyName: "Refused", email: `dana.${tag}@example.com` },
  ]);
  // The token was revoked in Databricks after it was saved.
  const profileId = await createConfiguredProfile(page.request, owner.slug, {
    name: `Databricks ${tag}`,
    baseUrl: emulator.workspaceUrl,
    token: "dapi-revoked-token",
    groupIds: [groupId],
  });

  await page.goto(`/t/${owner.slug}/scim-export/${profileId}/logs`);
  await page.getByRole("button", { name: "Sync", exact: true }).click();
  await expect(toast(page, "User and group sync queued")).toBeVisible();
  const runs = page.getByRole("table", { name: "Sync runs" });
  const run = runs.getByRole("row").nth(1);
  await expect(run).toContainText("Failed", { timeout: 60_000 });
  await expect(run.getByTestId("run-outcome")).toContainText("401");
  await expect(run.getByTestId("run-outcome")).toContainText("No change was made on the target.");
  await expect(run).not.toContainText(/up to date|nothing to change/i);
  await run.getByRole("link").click();
  await expect(page.getByLabel("Run outcome")).toContainText("Failed:");
  const operations = page.getByRole("table", { name: "Operations" });
  await expect(operations).toContainText("failed before it changed anything");
  await expect(operations).not.toContainText("up to date");

  // Configuration: the refused token tests as such; the right one succeeds, until the URL or token in the form changes.
  await openProfileTab(page, "Configuration");
  const result = page.getByRole("region", { name: "Test Connection result" });
  await page.getByRole("button", { name: "Test Connection" }).click();
  await expect(result).toContainText("Connection failed");
  await page.getByLabel("Secret Token").fill(TOKEN);
  await expect(result).toBeHidden();
  await page.getByRole("button", { name: "Test Connection" }).click();
  await expect(result).toContainText("Connection succeeded");
  await page.getByLabel("Tenant URL").fill(`${emulator.workspaceUrl}/`);
  await expect(result).toBeHidden();
  await page.getByLabel("Tenant URL").fill(emulator.workspaceUrl);
  await expect(result).toContainText("Connection succeeded");
  await page.getByLabel("Secret Token").fill(`${TOKEN}x`);
  await expect(result).toBeHidden();
  // Saved with the tested token and reloaded: the kept result is for the saved URL and token.
  await page.getByLabel("Secret Token").fill(TOKEN);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(toast(page, "Configuration saved")).toBeVisible();
  await expect(result).toContainText("Connection succeeded");
  await page.reload();
  await expect(page.getByRole("region", { name: "Test Connection result" })).toBeHidden();
  await page.getByRole("button", { name: "Test Connection" }).click();
  await expect(result).toContainText("Connection succeeded");
  await page.reload();
  await expect(page.getByRole("region", { name: "Test Connection result" })).toContainText("Connection succeeded");
});
