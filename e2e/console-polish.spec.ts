import { expect, test, type Page } from "@playwright/test";
import { startSamlIdpServer } from "../src/testing/idp/saml-idp";
import { signUp } from "../src/testing/e2e/accounts";
import { createConfiguredProfile, seedGroupWithUsers, toast } from "../src/testing/e2e/scim-export";
import { generateScimTokenInConsole, scimApi } from "../src/testing/e2e/scim-import";
import { portalSignIn } from "../src/testing/e2e/sso";
import { callTrpc } from "../src/testing/e2e/trpc";

/**
 * Issue 14, item 6: the console walked at 1440×900 in Chromium. Every table is checked for clipped
 * cells and badges, Sign-ins rows open a detail, failed SCIM requests say what they tried, the
 * metadata URL field explains its errors. (The first visit and the favicon: first-visit.spec.ts.)
 */
test.use({ viewport: { width: 1440, height: 900 } });

type Clipped = { what: string; text: string; scroll: number; client: number };

/**
 * Everything inside the table (and the table inside its scroll container) whose content is wider,
 * or taller, than its box while the overflow is hidden: text cut off or an ellipsis. A 1 px
 * tolerance absorbs sub-pixel rounding.
 */
async function clippedIn(page: Page, tableName: string): Promise<Clipped[]> {
  const table = page.getByRole("table", { name: tableName, exact: true });
  await expect(table).toBeVisible();
  return table.evaluate((root) => {
    const found: Clipped[] = [];
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? `.${el.className.split(" ")[0]}` : ""}`;
    const container = root.closest(".mantine-Table-scrollContainer, .mantine-ScrollArea-viewport") ?? root.parentElement;
    if (container && container.scrollWidth > container.clientWidth + 1) {
      found.push({ what: "the table scrolls sideways", text: "", scroll: container.scrollWidth, client: container.clientWidth });
    }
    for (const el of root.querySelectorAll("th, td, th *, td *")) {
      const style = getComputedStyle(el);
      const hidesX = ["hidden", "clip"].includes(style.overflowX) || style.textOverflow === "ellipsis";
      const hidesY = ["hidden", "clip"].includes(style.overflowY) || style.webkitLineClamp !== "none";
      const text = (el as HTMLElement).innerText?.trim().slice(0, 80) ?? "";
      if (hidesX && el.scrollWidth > el.clientWidth + 1)
        found.push({ what: describe(el), text, scroll: el.scrollWidth, client: el.clientWidth });
      else if (hidesY && el.clientHeight > 0 && el.scrollHeight > el.clientHeight + 1)
        found.push({ what: `${describe(el)} (height)`, text, scroll: el.scrollHeight, client: el.clientHeight });
    }
    return found;
  });
}

/** Soft, so that one run reports every table with something clipped. */
async function expectNothingClipped(page: Page, tableName: string) {
  expect.soft(await clippedIn(page, tableName), `clipped in the ${tableName} table`).toEqual([]);
}

test("the console's tables show every cell whole at 1440×900; sign-ins and failed SCIM requests explain themselves", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const idpServer = await startSamlIdpServer();
  try {
    const owner = await signUp(page);
    idpServer.state.spMetadataUrl = `${baseURL}/api/sso/${owner.slug}/metadata`;

    // Directory: long but ordinary names, as Entra ID sends them, and a failed create.
    const token = await generateScimTokenInConsole(page, owner.slug);
    const scim = scimApi(page.request, owner.slug, token);
    const email = `alexandra.konstantinopoulou-${Date.now()}@engineering.example-corporation.com`;
    const alice = {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: email,
      name: { givenName: "Alexandra", familyName: "Konstantinopoulou-Vasquez" },
      displayName: "Alexandra Konstantinopoulou-Vasquez",
      emails: [{ value: email, primary: true, type: "work" }],
      title: "Principal Data Platform Engineer",
      department: "Data Engineering and Analytics",
      active: true,
    };
    const created = await scim("POST", "/Users", alice);
    expect(created.status()).toBe(201);
    expect((await scim("POST", "/Users", alice)).status()).toBe(409);
    const userId = (await created.json()).id as string;
    const group = await scim("POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Data Engineering and Analytics Platform Team",
      members: [{ value: userId }],
    });
    expect(group.status()).toBe(201);
    const groupId = (await group.json()).id as string;
    await seedGroupWithUsers(page.request, owner.slug, "Finance", [
      { userName: "bob", givenName: "Bob", familyName: "Builder", email: "bob@example.com" },
    ]);

    // SSO: a profile for the group, one sign-in that succeeds and one that is refused.
    const profile = await callTrpc(
      page.request,
      "sso.createSaml",
      {
        tenantSlug: owner.slug,
        name: "Okta SAML (production tenant)",
        priority: 100,
        groupIds: [groupId],
        source: { metadataUrl: idpServer.metadataUrl },
      },
      "mutation",
    );
    expect(profile.status, JSON.stringify(profile.body)).toBe(200);
    const userContext = await browser.newContext({ baseURL });
    const user = await userContext.newPage();
    idpServer.idp.nextUser = { email, firstName: "Alexandra", lastName: "Konstantinopoulou-Vasquez" };
    await portalSignIn(user, owner.slug, email);
    await expect(user.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
    await userContext.clearCookies();
    idpServer.idp.nextUser = { email: "nobody-here@example.com" };
    await portalSignIn(user, owner.slug, email);
    await expect(user.getByRole("heading", { name: "Sign-in refused" })).toBeVisible();
    await userContext.close();

    // An export profile and a pending invitation, so their lists have rows.
    await createConfiguredProfile(page.request, owner.slug, {
      name: "Databricks production workspace",
      baseUrl: `${baseURL}/nowhere/api/2.0/preview/scim/v2`,
      token: "dapi-not-used",
      groupIds: [groupId],
    });
    const invited = await callTrpc(
      page.request,
      "tenant.invite",
      { tenantSlug: owner.slug, email: "maximilian.oberhuber-schwarzenegger@example-corporation.com", role: "ADMIN" },
      "mutation",
    );
    expect(invited.status, JSON.stringify(invited.body)).toBe(200);

    const walk: [string, string][] = [
      [`/t/${owner.slug}/users`, "Users"],
      [`/t/${owner.slug}/groups`, "User groups"],
      [`/t/${owner.slug}/events`, "Provisioning events"],
      [`/t/${owner.slug}/events/sign-ins`, "Sign-ins"],
      [`/t/${owner.slug}/auth-profiles`, "Authentication profiles"],
      [`/t/${owner.slug}/scim-export`, "SCIM Export profiles"],
      [`/t/${owner.slug}/settings/members`, "Members"],
      [`/t/${owner.slug}/settings/members`, "Pending invitations"],
    ];
    for (const [path, table] of walk) {
      await page.goto(path);
      await expect(page.getByRole("table", { name: table, exact: true }).getByRole("row").nth(1)).toBeVisible();
      await expectNothingClipped(page, table);
    }

    // The failed create says what it tried and on whom.
    await page.goto(`/t/${owner.slug}/events`);
    const failed = page.getByRole("table", { name: "Provisioning events" }).getByRole("row").filter({ hasText: /409/ });
    await expect(failed).toContainText("create user");
    await expect(failed).toContainText(email);
    await failed.click();
    await expect(page.getByRole("dialog").getByRole("table", { name: "Event summary" })).toContainText(`create user ${email} (failed)`);
    await page.keyboard.press("Escape");

    // A sign-in row opens its detail.
    await page.goto(`/t/${owner.slug}/events/sign-ins`);
    await page.getByRole("table", { name: "Sign-ins" }).getByRole("row").filter({ hasText: "Unknown user" }).click();
    const detail = page.getByRole("dialog");
    await expect(detail.getByRole("table", { name: "Sign-in summary" })).toContainText("nobody-here@example.com");
    await expect(detail).toContainText("No user with this email in the organisation's directory.");
    await expect(detail.getByRole("link", { name: "Okta SAML (production tenant)" })).toBeVisible();
  } finally {
    await idpServer.close();
  }
});

test("the metadata URL field explains a bad URL and a web page, before the profile has a name, without toasts", async ({
  page,
  baseURL,
}) => {
  const owner = await signUp(page);
  await page.goto(`/t/${owner.slug}/auth-profiles/new?protocol=saml`);
  await page.getByText("From URL").click();
  const field = page.getByLabel("IdP metadata URL");

  await field.fill("okta metadata");
  await page.getByRole("button", { name: "Check metadata" }).click();
  await expect(page.getByText("This is not a URL. Enter the metadata URL", { exact: false })).toBeVisible();
  await expect(field).toHaveAttribute("aria-invalid", "true");

  // The console's own sign-in page stands for an IdP's web page (private targets are allowed in e2e).
  await field.fill(`${baseURL}/sign-in`);
  await page.getByRole("button", { name: "Check metadata" }).click();
  await expect(page.getByText("This is a web page, not SAML metadata.", { exact: false })).toBeVisible();
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(toast(page, /./)).toHaveCount(0);
  await expect(page.getByText(/"code":|\[\s*\{/)).toHaveCount(0);
});
