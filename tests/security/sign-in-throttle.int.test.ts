import { describe, expect, it, vi } from "vitest";
import { authOptions } from "@/server/auth/options";
import { db } from "@/server/db";
import { unique } from "@/testing/factories/directory";
import { createCaller } from "@/server/trpc/router";
import { newAccount } from "@/testing/factories/trpc";
import { NextAuthClient } from "../../src/testing/http/next-auth-client";

/**
 * Issue 13 item 5: brute force against console sign-in. Attempts go through next-auth's real
 * credentials `authorize` with the request headers it receives, so the client address comes from
 * X-Forwarded-For as the product's server writes it (TRUST_PROXY=0: the last hop).
 */
const PASSWORD = "correct horse battery"; // src/testing/factories/trpc.ts

type Authorize = (credentials: Record<string, string>, req: { headers: Record<string, string> }) => Promise<unknown>;

function authorize(): Authorize {
  const [provider] = authOptions().providers as unknown as Array<{ options: { authorize: Authorize } }>;
  return provider!.options.authorize;
}

/** "signed in", "wrong", or the message the sign-in form would show (the error next-auth passes on). */
async function attempt(email: string, password: string, address: string): Promise<string> {
  try {
    const user = await authorize()({ email, password }, { headers: { "x-forwarded-for": address } });
    return user ? "signed in" : "wrong";
  } catch (error) {
    return (error as Error).message;
  }
}

let octet = 0;
/** A client address of its own per test, so that per-address counts never mix between tests. */
function newAddress(): string {
  octet += 1;
  return `198.51.100.${octet}`;
}

const TOO_MANY = /^Too many failed sign-ins\. Try again in \d+ minutes?\.$/;

async function throttleRow(key: string) {
  return db().signInThrottle.findUnique({ where: { key } });
}

/** Lets the current lock of `key` run out, as if its time had passed (no sleeping in tests). */
async function expireLock(key: string) {
  await db().signInThrottle.update({ where: { key }, data: { lockedUntil: new Date(Date.now() - 1000) } });
}

describe("sign-in throttle", () => {
  it("after 20 wrong passwords in a row the right one does not sign in, and the answer says when to retry", async () => {
    const { email } = await newAccount();
    const address = newAddress();
    const answers: string[] = [];
    for (let i = 0; i < 20; i += 1) answers.push(await attempt(email, "wrong password, guess " + i, address));
    expect(answers.slice(0, 5)).toEqual(Array(5).fill("wrong"));
    for (const answer of answers.slice(5)) expect(answer).toMatch(TOO_MANY);
    expect(await attempt(email, PASSWORD, address)).toBe("Too many failed sign-ins. Try again in 1 minute.");
    // Not from another address either: the account itself is locked.
    expect(await attempt(email, PASSWORD, newAddress())).toMatch(TOO_MANY);
  });

  it("the lock's message reaches the sign-in form through next-auth (signIn's `error`)", async () => {
    const { email } = await newAccount();
    const browser = new NextAuthClient(newAddress());
    for (let i = 0; i < 5; i += 1)
      expect(await browser.signIn(email, "wrong " + i)).toMatchObject({ ok: false, error: "CredentialsSignin" });
    expect(await browser.signIn(email, PASSWORD)).toMatchObject({ ok: false, error: "Too many failed sign-ins. Try again in 1 minute." });
    expect(browser.sessionCookie()).toBeUndefined();
  });

  it("locks for longer after each further failure: 1, 2, 4 … minutes, capped at 15", async () => {
    const { email } = await newAccount();
    const key = `account:${email}`;
    const lockSeconds = async () => {
      const row = await throttleRow(key);
      return (row!.lockedUntil!.getTime() - row!.updatedAt.getTime()) / 1000;
    };
    for (let i = 0; i < 5; i += 1) await attempt(email, "wrong password " + i, newAddress());
    expect(await lockSeconds()).toBe(60);
    await expireLock(key);
    expect(await attempt(email, "wrong again", newAddress())).toBe("wrong");
    expect(await lockSeconds()).toBe(120);
    await expireLock(key);
    await attempt(email, "wrong again", newAddress());
    expect(await lockSeconds()).toBe(240);

    await db().signInThrottle.update({ where: { key }, data: { failures: 40, lockedUntil: null } });
    await attempt(email, "wrong again", newAddress());
    expect(await lockSeconds()).toBe(15 * 60);

    // Once the lock has run out, the right password signs in and the run of failures ends.
    await expireLock(key);
    expect(await attempt(email, PASSWORD, newAddress())).toBe("signed in");
    expect(await throttleRow(key)).toBeNull();
  });

  it("answers an unknown email exactly as a known one, lock included", async () => {
    const { email } = await newAccount();
    const unknown = `${unique("nobody")}@example.com`;
    const known: string[] = [];
    const unknownAnswers: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      known.push(await attempt(email, "not the password " + i, newAddress()));
      unknownAnswers.push(await attempt(unknown, "not the password " + i, newAddress()));
    }
    expect(unknownAnswers).toEqual(known);
    expect(known.at(-1)).toMatch(TOO_MANY);
  });

  it("counts failures per client address across accounts, with a higher threshold", async () => {
    const address = newAddress();
    for (let i = 0; i < 20; i += 1) {
      expect(await attempt(`${unique("spray")}@example.com`, "Summer2024!", address)).toBe("wrong");
    }
    const { email } = await newAccount();
    // The 21st attempt from that address is refused even with an account's right password …
    expect(await attempt(email, PASSWORD, address)).toMatch(TOO_MANY);
    // … while the same account signs in from elsewhere.
    expect(await attempt(email, PASSWORD, newAddress())).toBe("signed in");
  });

  it("takes the address from X-Forwarded-For's last hop, not from what the client wrote before it", async () => {
    const address = newAddress();
    for (let i = 0; i < 20; i += 1) {
      // A client rotating a forged first entry stays one address: the server appends the real peer.
      await attempt(`${unique("spray")}@example.com`, "Summer2024!", `10.0.0.${i}, ${address}`);
    }
    expect(await attempt(`${unique("spray")}@example.com`, "Summer2024!", `10.9.9.9, ${address}`)).toMatch(TOO_MANY);
  });

  it("counts an IPv6 client per /64", async () => {
    for (let i = 0; i < 20; i += 1) await attempt(`${unique("v6")}@example.com`, "Summer2024!", `2001:db8:77:1::${(i + 1).toString(16)}`);
    expect(await attempt(`${unique("v6")}@example.com`, "Summer2024!", "2001:db8:77:1:ffff::9")).toMatch(TOO_MANY);
    expect(await attempt(`${unique("v6")}@example.com`, "Summer2024!", "2001:db8:77:2::1")).toBe("wrong");
  });

  it("lets no concurrent burst past the limit: each attempt is counted before its password is checked", async () => {
    const { email } = await newAccount();
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => attempt(email, "parallel guess " + i, newAddress())));
    expect(answers.filter((a) => a === "wrong")).toHaveLength(5);
    expect(answers.filter((a) => TOO_MANY.test(a))).toHaveLength(25);
  });

  it("signs in every one of many concurrent sign-ins of one account with the right password (one address, as on one office NAT)", async () => {
    const { email } = await newAccount();
    const address = newAddress();
    const clients = Array.from({ length: 12 }, () => new NextAuthClient(address));
    const results = await Promise.all(clients.map((client) => client.signIn(email, PASSWORD)));
    expect(results.map((r) => r.error)).toEqual(Array(12).fill(null));
    for (const client of clients) expect(client.sessionCookie()).toBeTruthy();
  });

  it("a success ends the account's run of failures and gives the address its attempt back", async () => {
    const { email } = await newAccount();
    const address = newAddress();
    for (let i = 0; i < 4; i += 1) expect(await attempt(email, "typo " + i, address)).toBe("wrong");
    expect(await attempt(email, PASSWORD, address)).toBe("signed in");
    for (let i = 0; i < 4; i += 1) expect(await attempt(email, "typo " + i, address)).toBe("wrong");
    expect(await attempt(email, PASSWORD, address)).toBe("signed in");
    expect((await throttleRow(`address:${address}`))?.failures).toBe(8);
  });

  it("keeps the count in PostgreSQL: another instance of the server sees the lock", async () => {
    const { email } = await newAccount();
    for (let i = 0; i < 5; i += 1) await attempt(email, "wrong " + i, newAddress());
    vi.resetModules();
    const fresh = await import("@/server/auth/options");
    const [provider] = fresh.authOptions().providers as unknown as Array<{ options: { authorize: Authorize } }>;
    await expect(
      provider!.options.authorize({ email, password: PASSWORD }, { headers: { "x-forwarded-for": newAddress() } }),
    ).rejects.toThrow(TOO_MANY);
    expect(await throttleRow(`account:${email}`)).toMatchObject({ failures: 5 });
  });

  it("sign-up with a taken email and a wrong password counts as a failed sign-in", async () => {
    const { email } = await newAccount();
    const caller = createCaller({ session: null, clientAddress: newAddress() });
    for (let i = 0; i < 5; i += 1) {
      await expect(
        caller.account.signUp({
          name: "Mallory",
          email,
          password: `mauve kettle drifts north ${i}`,
          tenantName: "X",
          tenantSlug: unique("x"),
        }),
      ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
    expect(await attempt(email, PASSWORD, newAddress())).toMatch(TOO_MANY);
  });

  it("sign-up is refused while the client's address is locked", async () => {
    const address = newAddress();
    for (let i = 0; i < 20; i += 1) await attempt(`${unique("spray")}@example.com`, "Summer2024!", address);
    const caller = createCaller({ session: null, clientAddress: address });
    await expect(
      caller.account.signUp({
        name: "New",
        email: `${unique("new")}@example.com`,
        password: "mauve kettle drifts north",
        tenantName: "X",
        tenantSlug: unique("x"),
      }),
    ).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS", message: expect.stringMatching(TOO_MANY) });
  });
});
