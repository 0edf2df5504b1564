import { expect, test } from "@playwright/test";
import { signIn, signOut, signUp } from "../../src/testing/e2e/accounts";

/**
 * Issue 13 item 5 in the browser: after repeated wrong passwords the sign-in form says when to
 * try again, and the right password does not sign in until then. (The limits themselves are
 * tested in sign-in-throttle.int.test.ts; this spec stays under the per-address threshold, since
 * every browser test shares one address.)
 */
test("after five wrong passwords the form says when to retry, and the right one does not sign in", async ({ page }) => {
  const owner = await signUp(page);
  await signOut(page);
  for (let i = 0; i < 5; i += 1) {
    await signIn(page, owner.email, `not my password ${i}`);
    await expect(page.getByText("That email and password do not match an account.")).toBeVisible();
  }
  await signIn(page, owner.email, owner.password);
  await expect(page.getByText("Too many failed sign-ins. Try again in 1 minute.")).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
});
