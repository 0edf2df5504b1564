import { expect, test } from "@playwright/test";
import { startSamlIdpServer } from "../src/testing/idp/saml-idp";
import { signUp } from "../src/testing/e2e/accounts";
import { generateScimTokenInConsole, scimApi } from "../src/testing/e2e/scim-import";
import { chooseOption, portalSignIn } from "../src/testing/e2e/sso";

/**
 * Product document 001, steps 4, 7 and 17, end to end: the admin creates a SAML profile from a
 * real (samlify) IdP's metadata URL and assigns it to a group; a user provisioned over SCIM
 * Import into that group signs in at the portal; once SCIM deactivates them, they are refused.
 */
test("a SCIM-provisioned user signs in with the SAML profile of their group, and is refused once deactivated", async ({
  page,
  browser,
  baseURL,
}) => {
  const idpServer = await startSamlIdpServer();
  try {
    const owner = await signUp(page);
    idpServer.state.spMetadataUrl = `${baseURL}/api/sso/${owner.slug}/metadata`;

    // Okta provisions a user and pushes group "Data" with them in it.
    const token = await generateScimTokenInConsole(page, owner.slug);
    const scim = scimApi(page.request, owner.slug, token);
    const email = `grace-${Date.now()}@example.com`;
    const created = await scim("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: email,
      name: { givenName: "Grace", familyName: "Hopper" },
      displayName: "Grace Hopper",
      emails: [{ value: email, primary: true, type: "work" }],
      active: true,
    });
    expect(created.status()).toBe(201);
    const userId = (await created.json()).id as string;
    const group = await scim("POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Data",
      members: [{ value: userId }],
    });
    expect(group.status()).toBe(201);
    const groupId = (await group.json()).id as string;

    // Step 4: the SP metadata to give the IdP.
    await page.goto(`/t/${owner.slug}/auth-profiles`);
    await page.getByRole("link", { name: "New SAML profile" }).first().click();
    await expect(page.getByText("ACS URL (Single sign-on URL)")).toBeVisible();
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download SP metadata" }).click();
    expect((await download).suggestedFilename()).toBe(`sp-metadata-${owner.slug}.xml`);

    // Step 7: import the IdP metadata (by URL here) and save.
    await page.getByLabel("Profile name").fill("Okta SAML");
    await page.getByText("From URL").click();
    await page.getByLabel("IdP metadata URL").fill(idpServer.metadataUrl);
    await page.getByRole("button", { name: "Check metadata" }).click();
    await expect(page.getByText(`Entity ID: ${idpServer.idp.entityId}`)).toBeVisible();
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("heading", { name: "Okta SAML" })).toBeVisible();

    // Step 17: assign the profile to the group.
    await page.goto(`/t/${owner.slug}/groups/${groupId}`);
    await chooseOption(page, "Authentication profile", /Okta SAML/);
    await page.getByRole("region", { name: "Authentication profile" }).getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Authentication profile saved.")).toBeVisible();

    // The user signs in at the portal, in their own browser (no console session).
    const userContext = await browser.newContext({ baseURL });
    const user = await userContext.newPage();
    idpServer.idp.nextUser = { email, firstName: "Grace", lastName: "Hopper" };
    await portalSignIn(user, owner.slug, email);
    await expect(user.getByRole("heading", { name: "Welcome, Grace Hopper" })).toBeVisible();
    await expect(user.getByRole("table", { name: "Signed-in user" })).toContainText(email);
    await expect(user.getByLabel("Your groups")).toContainText("Data");
    // An end-user session gives no console access.
    await user.goto(`/t/${owner.slug}/users`);
    await expect(user).toHaveURL(/\/sign-in/);

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

    // Events / Logs → Sign-ins has both.
    await page.goto(`/t/${owner.slug}/events/sign-ins`);
    const table = page.getByRole("table", { name: "Sign-ins" });
    await expect(table.getByRole("row").filter({ hasText: "Success" })).toHaveCount(1);
    await expect(table.getByRole("row").filter({ hasText: "User deactivated" })).toHaveCount(1);
  } finally {
    await idpServer.close();
  }
});
