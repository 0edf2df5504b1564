import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { newAccount } from "@/testing/factories/trpc";
import { NextAuthClient } from "../../src/testing/http/next-auth-client";

/**
 * Issue 13 item 9: a console session kept working after sign-out (a next-auth JWT is valid until
 * it expires). Now each sign-in records a ConsoleSession row named by the token, every read of
 * the session requires it, and sign-out deletes it. Driven through next-auth's real handler.
 */
const PASSWORD = "correct horse battery"; // src/testing/factories/trpc.ts

async function signedIn() {
  const { email, accountId } = await newAccount();
  const browser = new NextAuthClient();
  expect(await browser.signIn(email, PASSWORD)).toMatchObject({ ok: true, error: null });
  return { email, accountId, browser };
}

/** Another browser holding a copy of `cookie`, as someone who stole it would. */
function copyOf(cookie: string | undefined): NextAuthClient {
  const thief = new NextAuthClient("198.51.100.66");
  thief.cookies.set("next-auth.session-token", cookie!);
  return thief;
}

describe("console session revocation", () => {
  it("a copied session cookie stops working when its owner signs out", async () => {
    const { email, browser } = await signedIn();
    const thief = copyOf(browser.sessionCookie());
    expect((await thief.session())?.user?.email).toBe(email);

    await browser.signOut();
    expect(await browser.session()).toBeNull();
    expect(await thief.session()).toBeNull();
    // The refused cookie is also cleared from the browser that sent it.
    expect(thief.sessionCookie()).toBeUndefined();
  });

  it("signing out one session leaves the account's other sessions alone", async () => {
    const { email, browser } = await signedIn();
    const laptop = new NextAuthClient();
    expect((await laptop.signIn(email, PASSWORD)).ok).toBe(true);
    await browser.signOut();
    expect((await laptop.session())?.user?.email).toBe(email);
  });

  it("refuses a session whose row expired", async () => {
    const { accountId, browser } = await signedIn();
    await db().consoleSession.updateMany({ where: { accountId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await browser.session()).toBeNull();
  });

  it("refuses a validly signed token that names no session (issued before sign-out existed, or forged sid)", async () => {
    const { accountId, browser } = await signedIn();
    await db().consoleSession.deleteMany({ where: { accountId } });
    expect(await browser.session()).toBeNull();
  });

  it("records one row per sign-in, with the session's lifetime", async () => {
    const { accountId } = await signedIn();
    const rows = await db().consoleSession.findMany({ where: { accountId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.expiresAt.getTime() - rows[0]!.createdAt.getTime()).toBeGreaterThan(11 * 60 * 60 * 1000);
  });
});
