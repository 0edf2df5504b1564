import { expect, test } from "@playwright/test";
import { startOidcIdp } from "../src/testing/idp/oidc-idp";
import { signUp } from "../src/testing/e2e/accounts";
import { generateScimTokenInConsole, scimApi } from "../src/testing/e2e/scim-import";
import { chooseOption, portalSignIn } from "../src/testing/e2e/sso";

/**
 * OIDC end to end in Chromium, against a real OpenID Provider (`oidc-provider`, which we did not
 * write) on a free local port: the admin creates the OIDC profile in the console and assigns it
 * to a group; a user provisioned over SCIM Import into that group signs in at the portal through
 * the provider's authorization-code flow; once SCIM deactivates them they are refused, and the
 * Sign-ins log shows both.
 */
test("a SCIM-provisioned user signs in with the OIDC profile of their group, and is refused once deactivated", async ({
  page,
  browser,
  baseURL,
}) => {
  // Sign-up, a SCIM token, a profile through the console, two sign-ins through the provider: a long flow (as scim-export.spec).
  test.setTimeout(180_000);
  const idp = await startOidcIdp({ redirectUri: `${baseURL}/api/oauth/oidc` });
  try {
    const owner = await signUp(page);

    // Okta provisions a user and pushes group "Analysts" with them in it.
    const token = await generateScimTokenInConsole(page, owner.slug);
    const scim = scimApi(page.request, owner.slug, token);
    const email = `ada-${Date.now()}@example.com`;
    const created = await scim("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: email,
      name: { givenName: "Ada", familyName: "Lovelace" },
      displayName: "Ada Lovelace",
      emails: [{ value: email, primary: true, type: "work" }],
      active: true,
    });
    expect(created.status()).toBe(201);
    const userId = (await created.json()).id as string;
    const group = await scim("POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Analysts",
      members: [{ value: userId }],
    });
    expect(group.status()).toBe(201);
    const groupId = (await group.json()).id as string;

    // The admin creates the OIDC profile: the page names the redirect URI to register at the provider.
    await page.goto(`/t/${owner.slug}/auth-profiles`);
    await page.getByRole("link", { name: "New OIDC profile" }).first().click();
    await page.waitForURL(/protocol=oidc/);
    await expect(page.getByRole("heading", { name: "New OpenID Connect profile" })).toBeVisible();
    await expect(page.getByText(`Register this redirect URI at your OpenID Provider: ${baseURL}/api/oauth/oidc`)).toBeVisible();
    await page.getByLabel("Profile name").fill("Company OIDC");
    await page.getByLabel("Discovery URL or issuer").fill(idp.discoveryUrl);
    await page.getByLabel("Client ID").fill(idp.clientId);
    await page.getByLabel("Client secret").fill(idp.clientSecret);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText('Profile "Company OIDC" saved.')).toBeVisible();
    await expect(page.getByRole("heading", { name: "Company OIDC" })).toBeVisible();

    // It is assigned to the group.
    await page.goto(`/t/${owner.slug}/groups/${groupId}`);
    await chooseOption(page, "Authentication profile", /Company OIDC/);
    await page.getByRole("region", { name: "Authentication profile" }).getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Authentication profile saved.")).toBeVisible();

    // The user signs in at the portal in their own browser: portal → provider → Jackson → portal.
    const userContext = await browser.newContext({ baseURL });
    const user = await userContext.newPage();
    idp.nextLogin = { email, givenName: "Ada", familyName: "Lovelace" };
    await portalSignIn(user, owner.slug, email);
    await expect(user.getByRole("heading", { name: "Welcome, Ada Lovelace" })).toBeVisible();
    await expect(user.getByRole("table", { name: "Signed-in user" })).toContainText(email);
    await expect(user.getByLabel("Your groups")).toContainText("Analysts");

    // SCIM deactivates the user: the portal session ends, and the next sign-in is refused.
    const deactivated = await scim("PATCH", `/Users/${userId}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", value: { active: false } }],
    });
    expect(deactivated.status()).toBe(200);
    await user.goto(`/portal/${owner.slug}`);
    await expect(user).toHaveURL(new RegExp(`/portal/${owner.slug}/sign-in`));
    await portalSignIn(user, owner.slug, email);
    await expect(user.getByRole("heading", { name: "Sign-in refused" })).toBeVisible();
    await expect(user.getByText("Your account is deactivated.", { exact: false })).toBeVisible();
    await userContext.close();

    // Events / Logs → Sign-ins has both; the successful one names the OIDC profile.
    await page.goto(`/t/${owner.slug}/events/sign-ins`);
    const table = page.getByRole("table", { name: "Sign-ins" });
    await expect(table.getByRole("row").filter({ hasText: "Success" })).toHaveCount(1);
    await expect(table.getByRole("row").filter({ hasText: "User deactivated" })).toHaveCount(1);
    await expect(table.getByRole("row").filter({ hasText: "Success" })).toContainText("Company OIDC");
  } finally {
    await idp.close();
  }
});
