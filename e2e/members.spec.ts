import { expect, test } from "@playwright/test";
import { newOwner, signUp, unique } from "../src/testing/e2e/accounts";
import { callTrpc } from "../src/testing/e2e/trpc";

test("an owner invites a viewer, who joins and can read but change nothing", async ({ page, browser }) => {
  const owner = await signUp(page);
  await page.getByRole("link", { name: "Members" }).click();
  await expect(page.getByRole("table", { name: "Members" })).toContainText(owner.email);

  const viewerEmail = `${unique("viewer")}@example.com`;
  await page.getByLabel("Email").fill(viewerEmail);
  await page.getByRole("combobox", { name: "Role", exact: true }).click();
  await page.getByRole("option", { name: "Viewer" }).click();
  await page.getByRole("button", { name: "Invite" }).click();
  const link = await page.getByLabel("Invitation link").inputValue();
  expect(link).toMatch(/\/invite\//);
  await expect(page.getByRole("table", { name: "Pending invitations" })).toContainText(viewerEmail);

  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await viewer.goto(link);
  await expect(viewer.getByRole("heading", { name: `Join ${owner.tenantName}` })).toBeVisible();
  await viewer.getByLabel("Your name").fill("Vera Viewer");
  await viewer.getByRole("textbox", { name: "Password" }).fill("quiet lantern meadow 42");
  await viewer.getByRole("button", { name: "Create account and join" }).click();
  await expect(viewer).toHaveURL(new RegExp(`/t/${owner.slug}$`));

  await viewer.goto(`/t/${owner.slug}/settings`);
  await expect(viewer.getByLabel("Organisation name")).toBeDisabled();
  await expect(viewer.getByRole("button", { name: "Save" })).toHaveCount(0);
  await viewer.goto(`/t/${owner.slug}/settings/members`);
  await expect(viewer.getByRole("button", { name: "Invite" })).toHaveCount(0);
  await expect(viewer.getByRole("table", { name: "Members" })).toContainText(viewerEmail);

  // The server refuses even a hand-made request.
  const rename = await callTrpc(viewer.request, "tenant.rename", { tenantSlug: owner.slug, name: "Hijacked" }, "mutation");
  expect(rename.status).toBe(403);
  const invite = await callTrpc(
    viewer.request,
    "tenant.invite",
    { tenantSlug: owner.slug, email: "x@example.com", role: "ADMIN" },
    "mutation",
  );
  expect(invite.status).toBe(403);

  // The invitation link is single-use.
  const again = await browser.newContext();
  const stranger = await again.newPage();
  await stranger.goto(link);
  await expect(stranger.getByText("This invitation link is not valid")).toBeVisible();
  await again.close();

  // The owner makes the viewer an admin.
  await page.reload();
  await page.getByRole("combobox", { name: `Role of ${viewerEmail}` }).click();
  await page.getByRole("option", { name: "Admin" }).click();
  await expect(page.getByText("Role changed to Admin.")).toBeVisible();
  await viewer.goto(`/t/${owner.slug}/settings`);
  await expect(viewer.getByLabel("Organisation name")).toBeEnabled();
  await viewerContext.close();
});

test("a member of one tenant gets not-found for another tenant, by URL and by API", async ({ page, browser }) => {
  const victim = await signUp(page);
  const attackerContext = await browser.newContext();
  const attacker = await attackerContext.newPage();
  await signUp(attacker, newOwner());

  for (const path of ["users", "groups", "settings", "settings/members", "scim-import", "scim-export", "auth-profiles", "events"]) {
    const response = await attacker.goto(`/t/${victim.slug}/${path}`);
    expect(response?.status(), path).toBe(404);
    await expect(attacker.getByRole("heading", { name: "Not found" })).toBeVisible();
  }
  const members = await callTrpc(attacker.request, "tenant.members", { tenantSlug: victim.slug }, "query");
  expect(members.status).toBe(404);
  const rename = await callTrpc(attacker.request, "tenant.rename", { tenantSlug: victim.slug, name: "Owned" }, "mutation");
  expect(rename.status).toBe(404);
  await attackerContext.close();
});

test("an account can belong to several organisations and switch between them", async ({ page }) => {
  const owner = await signUp(page);
  await page.getByRole("button", { name: "Switch organisation" }).click();
  await page.getByRole("menuitem", { name: "New organisation" }).click();
  const second = unique("second");
  await page.getByLabel("Organisation name").fill(`Second ${second}`);
  await page.getByLabel("Organisation URL name").fill(second);
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${second}$`));
  await page.getByRole("button", { name: "Switch organisation" }).click();
  await page.getByRole("menuitem", { name: owner.tenantName }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${owner.slug}$`));
});
