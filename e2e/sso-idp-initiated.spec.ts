import { expect, test } from "@playwright/test";
import { startSamlIdpServer } from "../src/testing/idp/saml-idp";
import { signUp } from "../src/testing/e2e/accounts";
import { generateScimTokenInConsole, scimApi } from "../src/testing/e2e/scim-import";
import { chooseOption } from "../src/testing/e2e/sso";

/**
 * Issue 18 item 3, in Chromium: an Okta-style app tile (samlify posting an unsolicited response to
 * the ACS) signs a provisioned user in; with "Allow sign-in from the IdP's dashboard" turned off,
 * the same click lands on the refusal page and Sign-ins records it; a replayed post is refused too.
 */
test("an IdP app tile signs the user in, and is refused once the profile turns it off", async ({ page, browser, baseURL }) => {
  test.slow(); // sign-up, SCIM, a profile, a group, three browser contexts: the longest SSO flow
  const idpServer = await startSamlIdpServer();
  try {
    const owner = await signUp(page);
    idpServer.state.spMetadataUrl = `${baseURL}/api/sso/${owner.slug}/metadata`;

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
    const group = await scim("POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Engineering",
      members: [{ value: (await created.json()).id as string }],
    });
    expect(group.status()).toBe(201);
    const groupId = (await group.json()).id as string;

    // The new profile allows sign-in from the IdP's dashboard by default, and says so.
    await page.goto(`/t/${owner.slug}/auth-profiles`);
    await page.getByRole("link", { name: "New SAML profile" }).first().click();
    await page.getByLabel("Profile name").fill("Okta tiles");
    await expect(page.getByRole("switch", { name: "Allow sign-in from the IdP's dashboard" })).toBeChecked();
    await page.getByText("From URL").click();
    await page.getByLabel("IdP metadata URL").fill(idpServer.metadataUrl);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("heading", { name: "Okta tiles" })).toBeVisible();
    const profileUrl = page.url();

    await page.goto(`/t/${owner.slug}/groups/${groupId}`);
    await chooseOption(page, "Authentication profile", /Okta tiles/);
    await page.getByRole("region", { name: "Authentication profile" }).getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Authentication profile saved.")).toBeVisible();

    // The user clicks the app tile in their IdP dashboard and lands in the portal, signed in.
    const userContext = await browser.newContext({ baseURL });
    const user = await userContext.newPage();
    idpServer.idp.nextUser = { email, firstName: "Ada", lastName: "Lovelace" };
    await user.goto(`${idpServer.base}/tile`);
    await expect(user.getByRole("heading", { name: "Welcome, Ada Lovelace" })).toBeVisible();
    await expect(user).toHaveURL(new RegExp(`/portal/${owner.slug}$`));

    // The admin turns the option off: the next tile click is refused, with the portal's refusal page.
    await page.goto(profileUrl);
    const option = page.getByRole("switch", { name: "Allow sign-in from the IdP's dashboard" });
    await option.click();
    await expect(page.getByText("Only sign-ins started at the sign-in page are accepted now.")).toBeVisible();
    await expect(option).not.toBeChecked();
    const refusedContext = await browser.newContext({ baseURL });
    const refused = await refusedContext.newPage();
    await refused.goto(`${idpServer.base}/tile`);
    await expect(refused.getByRole("heading", { name: "Sign-in refused" })).toBeVisible();
    await refusedContext.close();
    await userContext.close();

    // Events / Logs → Sign-ins has the tile sign-in and its refusal.
    await page.goto(`/t/${owner.slug}/events/sign-ins`);
    const table = page.getByRole("table", { name: "Sign-ins" });
    await expect(table.getByRole("row").filter({ hasText: "Success" })).toHaveCount(1);
    await expect(table.getByRole("row").filter({ hasText: "IdP response refused" })).toHaveCount(1);
  } finally {
    await idpServer.close();
  }
});
