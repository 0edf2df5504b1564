import { expect, test } from "@playwright/test";
import { signUp, unique } from "../src/testing/e2e/accounts";
import { generateScimTokenInConsole, scimApi } from "../src/testing/e2e/scim-import";

test("an admin connects an IdP over SCIM: token, provisioned user and group, events, regeneration", async ({ page, request }) => {
  const owner = await signUp(page);
  const token = await generateScimTokenInConsole(page, owner.slug);
  await expect(page.getByRole("textbox", { name: "SCIM Base URL" })).toHaveValue(new RegExp(`/api/scim/v2/${owner.slug}$`));
  await expect(page.getByText("never used")).toBeVisible();

  const scim = scimApi(request, owner.slug, token);
  const userName = `${unique("okta")}@example.com`;
  const created = await scim("POST", "/Users", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName,
    name: { givenName: "Grace", familyName: "Hopper" },
    emails: [{ value: userName, type: "work", primary: true }],
    password: "placeholder-1",
    active: true,
  });
  expect(created.status()).toBe(201);
  const userId = (await created.json()).id as string;
  const group = await scim("POST", "/Groups", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    displayName: "Data Engineers",
    members: [{ value: userId }],
  });
  expect(group.status()).toBe(201);

  await page.goto(`/t/${owner.slug}/users`);
  await expect(page.getByText(userName).first()).toBeVisible();
  await page.goto(`/t/${owner.slug}/groups`);
  await expect(page.getByText("Data Engineers").first()).toBeVisible();

  await page.goto(`/t/${owner.slug}/events`);
  const events = page.getByRole("table", { name: "Provisioning events" });
  await expect(events.getByText("user created")).toBeVisible();
  await expect(events.getByText("group created")).toBeVisible();
  await events.getByText("user created").click();
  const drawer = page.getByRole("dialog");
  await expect(drawer.getByText("POST /api/scim/v2/")).toBeVisible();
  await expect(drawer.getByText("Okta SCIM Client 1.0.0")).toBeVisible();
  await expect(drawer.getByLabel("Request body")).toContainText("[redacted]");
  await expect(drawer.getByLabel("Request body")).not.toContainText("placeholder-1");
  await page.keyboard.press("Escape");

  const newToken = await generateScimTokenInConsole(page, owner.slug);
  expect(newToken).not.toBe(token);
  const old = await scim("GET", "/Users");
  expect(old.status()).toBe(401);
  expect((await old.json()).status).toBe("401");
  expect((await scimApi(request, owner.slug, newToken)("GET", "/Users")).status()).toBe(200);
});
