import { describe, expect, it } from "vitest";
import { newAccount } from "@/testing/factories/trpc";
import { NextAuthClient } from "../../src/testing/http/next-auth-client";

/**
 * Issue 13 item 3, next-auth's side: the callbackUrl that next-auth itself follows (sign-in and
 * sign-out posts, its callback-url cookie) goes through the same rule as the pages
 * (src/lib/safe-redirect.ts): next-auth's default accepted `/\evil.example`, which it only
 * checks for a leading "/".
 */
const PASSWORD = "correct horse battery"; // src/testing/factories/trpc.ts
const APP_ORIGIN = "http://localhost:3000"; // APP_URL in src/testing/vitest/test-database.ts

const hostile = [
  "/\\evil.example",
  "/\t/evil.example",
  "//evil.example",
  "https://evil.example/",
  "javascript:alert(1)",
  "/.//evil.example",
];

describe("next-auth's redirect callback", () => {
  it.each(hostile)("keeps sign-in on the console's origin for callbackUrl %j", async (callbackUrl) => {
    const { email } = await newAccount();
    const { ok, url } = await new NextAuthClient().signIn(email, PASSWORD, callbackUrl);
    expect(ok).toBe(true);
    expect(new URL(url).origin).toBe(APP_ORIGIN);
    expect(url).toBe(`${APP_ORIGIN}/`);
  });

  it.each(hostile)("keeps sign-out on the console's origin for callbackUrl %j", async (callbackUrl) => {
    const { email } = await newAccount();
    const browser = new NextAuthClient();
    await browser.signIn(email, PASSWORD);
    const url = await browser.signOut(callbackUrl);
    expect(url).toBe(`${APP_ORIGIN}/`);
  });

  it("follows a same-origin callbackUrl with its query and fragment", async () => {
    const { email } = await newAccount();
    const browser = new NextAuthClient();
    await browser.signIn(email, PASSWORD);
    expect(await browser.signOut("/invite/abc?x=1#y")).toBe(`${APP_ORIGIN}/invite/abc?x=1#y`);
  });
});
