import { expect, test } from "@playwright/test";
import { signOut, signUp } from "../../src/testing/e2e/accounts";
import { callTrpc } from "../../src/testing/e2e/trpc";

/**
 * Issue 13 item 9 in the browser: a session cookie copied before sign-out (stolen from a shared
 * computer, a proxy log, a backup) is refused by the API once its owner has signed out.
 */
test("a session cookie copied before sign-out is refused by tRPC afterwards", async ({ page, playwright, baseURL }) => {
  const owner = await signUp(page);
  const cookie = (await page.context().cookies()).find((c) => c.name === "next-auth.session-token");
  expect(cookie, "the console's session cookie").toBeDefined();
  const thief = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { cookie: `${cookie!.name}=${cookie!.value}` } });

  const before = await callTrpc(thief, "account.me", undefined, "query");
  expect(before.status).toBe(200);
  expect(before.body.result.data.json.account.email).toBe(owner.email);

  await signOut(page);

  const after = await callTrpc(thief, "account.me", undefined, "query");
  expect(after.status).toBe(401);
  expect(after.body.error.json.data.code).toBe("UNAUTHORIZED");
  const page2 = await thief.get(`/t/${owner.slug}/users`, { maxRedirects: 0 });
  expect(page2.status()).toBeGreaterThanOrEqual(300);
  expect(page2.headers()["location"] ?? "").toMatch(/\/sign-in/);
  await thief.dispose();
});
