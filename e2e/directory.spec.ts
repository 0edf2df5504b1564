import { expect, test, type Page } from "@playwright/test";
import { signUp } from "../src/testing/e2e/accounts";
import { callTrpc } from "../src/testing/e2e/trpc";

async function seedUsers(page: Page, slug: string, count: number) {
  for (let i = 1; i <= count; i++) {
    const n = String(i).padStart(2, "0");
    const { status } = await callTrpc(
      page.request,
      "users.create",
      {
        tenantSlug: slug,
        userName: `seed${n}@example.com`,
        givenName: "Seed",
        familyName: `Person ${n}`,
        displayName: `Seed Person ${n}`,
        email: `seed${n}@example.com`,
        title: "",
        department: "Research",
        active: true,
      },
      "mutation",
    );
    expect(status).toBe(200);
  }
}

test("users: empty state, validation, create, search, paging, deactivate, reactivate, delete", async ({ page }) => {
  const owner = await signUp(page);
  await page.goto(`/t/${owner.slug}/users`);
  await expect(page.getByText("No users yet")).toBeVisible();

  await page.getByRole("button", { name: "Add user" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Add user" });
  await dialog.getByRole("button", { name: "Add user" }).click();
  await expect(dialog.getByText("Enter a userName.")).toBeVisible();
  await dialog.getByLabel("userName").fill("alice@example.com");
  await dialog.getByLabel("Given name").fill("Alice");
  await dialog.getByLabel("Family name").fill("Liddell");
  await dialog.getByLabel("Email").fill("not-an-email");
  await dialog.getByRole("button", { name: "Add user" }).click();
  await expect(dialog.getByText("Enter a valid email address, or leave it empty.")).toBeVisible();
  await dialog.getByLabel("Email").fill("alice@example.com");
  await dialog.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByText("User alice@example.com was created.")).toBeVisible();
  await expect(page.getByRole("table", { name: "Users" })).toContainText("alice@example.com");

  // A duplicate userName, differing only in case, is refused under the field.
  await page.getByRole("button", { name: "Add user" }).first().click();
  await dialog.getByLabel("userName").fill("ALICE@example.com");
  await dialog.getByRole("button", { name: "Add user" }).click();
  await expect(dialog.getByText(/already/i)).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();

  await seedUsers(page, owner.slug, 30);
  await page.reload();
  await expect(page.getByText("1–25 of 31 users")).toBeVisible();
  await page.getByRole("button", { name: "next page" }).click();
  await expect(page.getByText("26–31 of 31 users")).toBeVisible();
  await expect(page.getByRole("table", { name: "Users" }).getByRole("row")).toHaveCount(7);

  await page.getByRole("textbox", { name: "Search users" }).fill("person 07");
  await expect(page.getByText("1–1 of 1 users")).toBeVisible();
  await expect(page.getByRole("table", { name: "Users" })).toContainText("seed07@example.com");
  await page.getByRole("textbox", { name: "Search users" }).fill("zzz-nobody");
  await expect(page.getByText("No matching users")).toBeVisible();
  await page.getByRole("textbox", { name: "Search users" }).fill("alice");

  await page.getByRole("table", { name: "Users" }).getByText("alice@example.com").first().click();
  await expect(page).toHaveURL(new RegExp(`/t/${owner.slug}/users/[0-9a-f-]{36}$`));
  await page.getByRole("button", { name: "Deactivate" }).click();
  await expect(page.getByText("alice@example.com is now inactive.")).toBeVisible();
  await page.getByRole("button", { name: "Reactivate" }).click();
  await expect(page.getByText("alice@example.com is now active.")).toBeVisible();
  const userUrl = page.url();

  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByText("alice@example.com was deleted.")).toBeVisible();
  await page.goto(userUrl);
  await expect(page.getByText(/not found/i).first()).toBeVisible();
  await page.goto(`/t/${owner.slug}/users/not-a-uuid`);
  await expect(page.getByText(/not found/i).first()).toBeVisible();
});

test("groups: create, rename, add and remove members with the picker, delete", async ({ page }) => {
  const owner = await signUp(page);
  await seedUsers(page, owner.slug, 3);
  await page.getByRole("link", { name: "User Groups" }).click();
  await expect(page.getByText("No groups yet")).toBeVisible();

  await page.getByRole("button", { name: "Create group" }).first().click();
  const create = page.getByRole("dialog", { name: "Create group" });
  await create.getByRole("button", { name: "Create group" }).click();
  await expect(create.getByText("Enter the group's name.")).toBeVisible();
  await create.getByLabel("Group name").fill("Data");
  await create.getByRole("button", { name: "Create group" }).click();
  await expect(page.getByRole("table", { name: "User groups" })).toContainText("Data");

  await page.getByRole("table", { name: "User groups" }).getByText("Data").click();
  await expect(page.getByText("No members yet")).toBeVisible();
  await page.getByRole("button", { name: "Add members" }).first().click();
  const picker = page.getByRole("dialog", { name: "Add members" });
  await picker.getByRole("combobox", { name: "Users" }).fill("seed02");
  await page.getByRole("option", { name: /seed02@example.com/ }).click();
  await picker.getByRole("combobox", { name: "Users" }).fill("seed03");
  await page.getByRole("option", { name: /seed03@example.com/ }).click();
  await picker.getByRole("heading", { name: "Add members" }).click(); // closes the suggestions
  await picker.getByRole("button", { name: "Add 2 members" }).click();
  await expect(page.getByText("2 user(s) added to “Data”.")).toBeVisible();
  const members = page.getByRole("table", { name: "Members of Data" });
  await expect(members).toContainText("seed02@example.com");
  await expect(members).toContainText("seed03@example.com");

  await page.getByRole("button", { name: "Remove seed02@example.com from group" }).click();
  await page
    .getByRole("dialog")
    .getByRole("button", { name: /Remove/ })
    .click();
  await expect(page.getByText("1 member(s) removed from “Data”.")).toBeVisible();
  await expect(members).not.toContainText("seed02@example.com");
  await expect(members).toContainText("seed03@example.com");

  // The user's page lists their groups.
  await members.getByText("seed03@example.com").first().click();
  await expect(page.getByRole("link", { name: "Data" })).toBeVisible();
  await page.getByRole("link", { name: "Data" }).click();

  await page.getByRole("button", { name: "Rename" }).click();
  const rename = page.getByRole("dialog", { name: "Rename group" });
  await rename.getByLabel("Group name").fill("Data Science");
  await rename.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { name: "Data Science" })).toBeVisible();

  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByText("The group “Data Science” was deleted.")).toBeVisible();
});
