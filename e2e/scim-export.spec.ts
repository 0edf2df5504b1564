import { expect, test } from "@playwright/test";
import { startDatabricksEmulator, type DatabricksEmulator } from "../src/testing/databricks-emulator";
import { signUp, unique } from "../src/testing/e2e/accounts";
import { createConfiguredProfile, openProfileTab, seedGroupWithUsers, toast } from "../src/testing/e2e/scim-export";
import { generateScimTokenInConsole, scimApi } from "../src/testing/e2e/scim-import";
import { callTrpc } from "../src/testing/e2e/trpc";

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
  await expression.fill("ToUpper([familyName]");
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
  // How nested groups appear on the target: a choice once members of nested groups are included.
  const pushChildren = page.getByRole("radio", { name: "Push child groups as members" });
  await expect(pushChildren).toBeDisabled();
  await page.getByRole("switch", { name: "Include members of nested groups" }).click();
  await expect(toast(page, "Members of nested groups are now synced too.")).toBeVisible();
  await expect(page.getByRole("radio", { name: "Flatten" })).toBeChecked();
  await page.getByText("Push child groups as members").click();
  await expect(toast(page, "Nested groups will be pushed as members of their parent group.")).toBeVisible();
  await expect(pushChildren).toBeChecked();

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
  await runs.getByRole("row").filter({ hasText: "2 users created" }).getByRole("link").click();
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

test("the whole bridge: Okta pushes a user into an assigned group over SCIM Import; they appear in Databricks within seconds, and deactivation follows", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const owner = await signUp(page);
  const token = await generateScimTokenInConsole(page, owner.slug);
  const scim = scimApi(request, owner.slug, token);
  const tag = unique("bridge").replace(/[^a-z0-9]/gi, "");

  // Okta pushes the group (empty), the admin assigns it to the Databricks profile.
  const groupName = `Data ${tag}`;
  const group = await scim("POST", "/Groups", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    displayName: groupName,
    members: [],
  });
  expect(group.status()).toBe(201);
  const groupId = (await group.json()).id as string;
  const profileId = await createConfiguredProfile(page.request, owner.slug, {
    name: `Databricks ${tag}`,
    baseUrl: emulator.workspaceUrl,
    token: TOKEN,
    groupIds: [groupId],
  });
  // What the runs say, attached to a failure: which sync ran, what it did and why.
  const runsOfProfile = async () =>
    JSON.stringify((await callTrpc(page.request, "scimExport.runs", { tenantSlug: owner.slug, profileId }, "query")).body);

  // Okta creates a user and adds them to the group (lookup, POST, then PATCH members as Okta does).
  const userName = `grace.${tag}@example.com`;
  const lookup = await scim("GET", `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&startIndex=1&count=100`);
  expect((await lookup.json()).totalResults).toBe(0);
  const created = await scim("POST", "/Users", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName,
    name: { givenName: "Grace", familyName: "Hopper" },
    emails: [{ value: userName, type: "work", primary: true }],
    password: "placeholder-1",
    active: true,
    groups: [],
  });
  expect(created.status()).toBe(201);
  const userId = (await created.json()).id as string;
  const pushedAt = Date.now();
  const patched = await scim("PATCH", `/Groups/${groupId}`, {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    Operations: [{ op: "add", path: "members", value: [{ value: userId, display: userName }] }],
  });
  expect([200, 204]).toContain(patched.status());

  // The change-triggered sync provisions the user and the membership, without anyone pressing Sync.
  await expect
    .poll(
      () => {
        const remote = emulator.userByName(userName);
        const remoteGroup = emulator.groupByName(groupName);
        return Boolean(remote?.active && remoteGroup?.members.includes(remote.id));
      },
      { timeout: 45_000, intervals: [500], message: "user and membership in Databricks" },
    )
    .toBe(true)
    .catch(async (error: Error) => {
      throw new Error(
        `${error.message}\nruns: ${await runsOfProfile()}\nemulator: ${JSON.stringify({ users: emulator.users().length, groups: emulator.groups() })}`,
      );
    });

  // Measured, not asserted: how long the change took to reach the target (printed in the report).
  test.info().annotations.push({ type: "bridge latency (membership)", description: `${Date.now() - pushedAt} ms` });
  console.log(`[scim-export e2e] SCIM Import membership → Databricks emulator: ${Date.now() - pushedAt} ms`);

  // Okta deactivates the user: the remote user is deactivated too (not deleted).
  const deactivatedAt = Date.now();
  const deactivated = await scim("PATCH", `/Users/${userId}`, {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    Operations: [{ op: "replace", value: { active: false } }],
  });
  expect(deactivated.status()).toBe(200);
  await expect.poll(() => emulator.userByName(userName)?.active, { timeout: 45_000, intervals: [500] }).toBe(false);
  console.log(`[scim-export e2e] SCIM Import deactivation → Databricks emulator: ${Date.now() - deactivatedAt} ms`);
  expect(emulator.counters.valueFormRemoves).toBe(0);
});

test("a viewer reads SCIM Export but sees no write controls; the owner renames and deletes a profile", async ({ page, browser }) => {
  const owner = await signUp(page);
  const tag = unique("view").replace(/[^a-z0-9]/gi, "");
  const profileId = await createConfiguredProfile(page.request, owner.slug, {
    name: `Databricks ${tag}`,
    baseUrl: emulator.workspaceUrl,
    token: TOKEN,
    groupIds: [],
  });

  const viewerEmail = `${unique("viewer")}@example.com`;
  const invite = await callTrpc(page.request, "tenant.invite", { tenantSlug: owner.slug, email: viewerEmail, role: "VIEWER" }, "mutation");
  expect(invite.status).toBe(200);
  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await viewer.goto(invite.body.result.data.json.invitePath);
  await viewer.getByLabel("Your name").fill("Vera Viewer");
  await viewer.getByRole("textbox", { name: "Password" }).fill("quiet lantern meadow 42");
  await viewer.getByRole("button", { name: "Create account and join" }).click();
  await expect(viewer).toHaveURL(new RegExp(`/t/${owner.slug}$`));

  await viewer.goto(`/t/${owner.slug}/scim-export`);
  await expect(viewer.getByRole("table", { name: "SCIM Export profiles" })).toContainText(`Databricks ${tag}`);
  await expect(viewer.getByRole("button", { name: "Add", exact: true })).toHaveCount(0);
  await viewer.goto(`/t/${owner.slug}/scim-export/${profileId}/configuration`);
  await expect(viewer.getByLabel("Tenant URL")).toHaveValue(emulator.workspaceUrl);
  await expect(viewer.getByRole("button", { name: "Sync", exact: true })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Save" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Test Connection" })).toBeDisabled();
  await viewer.goto(`/t/${owner.slug}/scim-export/${profileId}/about`);
  await expect(viewer.getByRole("table", { name: "About this profile" })).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Provision on Demand" })).toHaveCount(0);
  // The server refuses even a hand-made request.
  const sync = await callTrpc(viewer.request, "scimExport.sync", { tenantSlug: owner.slug, profileId }, "mutation");
  expect(sync.status).toBe(403);
  await viewerContext.close();

  await page.goto(`/t/${owner.slug}/scim-export/${profileId}/about`);
  await page.getByRole("button", { name: "Profile actions" }).click();
  await page.getByRole("menuitem", { name: "Edit name and description" }).click();
  const edit = page.getByRole("dialog", { name: "Edit profile" });
  await edit.getByLabel("Application Name").fill(`Lakehouse ${tag}`);
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { name: `Lakehouse ${tag}`, level: 2 })).toBeVisible();
  await page.getByRole("button", { name: "Profile actions" }).click();
  await page.getByRole("menuitem", { name: "Delete profile" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete profile" }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${owner.slug}/scim-export$`));
  await expect(page.getByText("No export profiles yet")).toBeVisible();
});

test("a sync that would deactivate more users than the threshold stops and asks; continuing deactivates them", async ({ page }) => {
  test.setTimeout(120_000);
  const owner = await signUp(page);
  const tag = unique("guard").replace(/[^a-z0-9]/gi, "");
  const users = ["ann", "ben"].map((n) => ({
    userName: `${n}.${tag}@example.com`,
    givenName: n,
    familyName: "Guard",
    email: `${n}.${tag}@example.com`,
  }));
  const groupName = `Finance ${tag}`;
  const { groupId } = await seedGroupWithUsers(page.request, owner.slug, groupName, users);
  const profileId = await createConfiguredProfile(page.request, owner.slug, {
    name: `Databricks ${tag}`,
    baseUrl: emulator.workspaceUrl,
    token: TOKEN,
    groupIds: [groupId],
    deletionThreshold: 1,
  });
  const sync = await callTrpc(page.request, "scimExport.sync", { tenantSlug: owner.slug, profileId }, "mutation");
  expect(sync.status).toBe(200);
  await expect
    .poll(() => users.every((u) => emulator.userByName(u.email)?.active === true), { timeout: 45_000, intervals: [500] })
    .toBe(true);

  // The admin unassigns the group: both users leave scope, more than the threshold of 1.
  await page.goto(`/t/${owner.slug}/scim-export/${profileId}/groups`);
  await page.getByRole("button", { name: `Unassign ${groupName}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Unassign" }).click();
  await expect(page.getByText("No group assigned yet")).toBeVisible();
  await page.getByRole("button", { name: "Sync", exact: true }).click();
  const banner = page.getByRole("alert").filter({ hasText: "A sync is waiting for your confirmation" });
  await expect(banner).toBeVisible({ timeout: 45_000 });
  await expect(banner).toContainText("It would deactivate 2 users");
  expect(users.every((u) => emulator.userByName(u.email)?.active === true)).toBe(true);

  await banner.getByRole("button", { name: "Continue the sync" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Continue the sync" }).click();
  await expect(toast(page, "The sync continues.")).toBeVisible();
  await expect
    .poll(() => users.map((u) => emulator.userByName(u.email)?.active), { timeout: 45_000, intervals: [500] })
    .toEqual([false, false]);
  await expect(banner).toBeHidden({ timeout: 30_000 });
});
