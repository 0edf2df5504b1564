import { beforeEach, describe, expect, it, vi } from "vitest";
import { CREDENTIALS_MISMATCH } from "@/lib/sign-in-errors";
import { db } from "@/server/db";
import { unique } from "@/testing/factories/directory";
import { signInWithPassword } from "@/server/auth/password-sign-in";
import { createCaller } from "@/server/trpc/router";
import { newAccount, newOwner } from "@/testing/factories/trpc";

/**
 * Issue 13 item 9: sign-up told whether an email has an account ("An account with this email
 * already exists"). Now a taken email is answered as sign-in answers (accounts.ts explains the
 * choice): with the account's password, sign-up signs that account in and creates the new
 * organisation for it; with another password, it gets a failed sign-in's answer, counted by the
 * throttle; and both paths do the same password work, so timing tells nothing either.
 */
const PASSWORD = "correct horse battery"; // src/testing/factories/trpc.ts
const OTHER_PASSWORD = "mauve kettle drifts north";

const hashing = vi.hoisted(() => ({ hashes: 0, verifications: 0 }));
vi.mock("@/server/auth/password", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/server/auth/password")>();
  return {
    hashPassword: (password: string) => ((hashing.hashes += 1), original.hashPassword(password)),
    verifyPassword: (password: string, stored: string) => ((hashing.verifications += 1), original.verifyPassword(password, stored)),
  };
});
beforeEach(() => {
  hashing.hashes = 0;
  hashing.verifications = 0;
});

let octet = 0;
const anonymous = () => createCaller({ session: null, clientAddress: `203.0.113.${(octet += 1)}` });

function signUpInput(email: string, password: string, tenantSlug = unique("org")) {
  return { name: "Someone Else", email, password, tenantName: "Another org", tenantSlug };
}

/** What a caller sees of a rejected call: code, message and field, nothing else. */
async function answerOf(call: Promise<unknown>) {
  const error = (await call.then(
    () => null,
    (e: unknown) => e,
  )) as { code?: string; message?: string; cause?: { field?: string } } | null;
  return error && { code: error.code, message: error.message, field: error.cause?.field ?? null };
}

describe("sign-up does not tell whether an email has an account", () => {
  it("a taken email with another password gets a failed sign-in's answer, never 'already exists'", async () => {
    const { email } = await newAccount();
    const answer = await answerOf(anonymous().account.signUp(signUpInput(email.toUpperCase(), OTHER_PASSWORD)));
    expect(answer).toEqual({ code: "UNAUTHORIZED", message: CREDENTIALS_MISMATCH, field: null });
    expect(answer?.message).not.toMatch(/exist/i);
    expect(await signInWithPassword(email, OTHER_PASSWORD)).toBeNull();
  });

  it("a taken email with its own password signs that account in: the new organisation is created for it", async () => {
    const { email, accountId, caller } = await newAccount();
    const slug = unique("second");
    await expect(anonymous().account.signUp(signUpInput(email, PASSWORD, slug))).resolves.toEqual({ tenantSlug: slug });
    const { tenants, account } = await caller.account.me();
    expect(tenants.map((t) => t.slug)).toContain(slug);
    expect(account.accountId).toBe(accountId);
    expect(await db().account.count({ where: { email } })).toBe(1);
    // The account keeps its name: sign-up did not rewrite it.
    expect((await db().account.findUniqueOrThrow({ where: { email } })).name).toBe("Person");
  });

  it("a taken slug is answered the same whether the email has an account or not", async () => {
    const owner = await newOwner();
    const known = await answerOf(anonymous().account.signUp(signUpInput(owner.email, OTHER_PASSWORD, owner.slug)));
    const unknown = await answerOf(anonymous().account.signUp(signUpInput(`${unique("nobody")}@example.com`, OTHER_PASSWORD, owner.slug)));
    expect(known).toEqual(unknown);
    expect(known).toMatchObject({ code: "CONFLICT", field: "slug" });
  });

  it("does the same password work for a new email, a taken email with a wrong password and with the right one", async () => {
    const { email } = await newAccount();
    const work: Array<{ hashes: number; verifications: number }> = [];
    for (const input of [
      signUpInput(`${unique("new")}@example.com`, OTHER_PASSWORD),
      signUpInput(email, OTHER_PASSWORD),
      signUpInput(email, PASSWORD),
    ]) {
      hashing.hashes = 0;
      hashing.verifications = 0;
      await anonymous()
        .account.signUp(input)
        .catch(() => undefined);
      work.push({ ...hashing });
    }
    expect(work).toEqual([
      { hashes: 1, verifications: 1 },
      { hashes: 1, verifications: 1 },
      { hashes: 1, verifications: 1 },
    ]);
  });

  it("wrong-password sign-ups are counted by the sign-in throttle", async () => {
    const { email } = await newAccount();
    for (let i = 0; i < 5; i += 1) {
      await expect(anonymous().account.signUp(signUpInput(email, `${OTHER_PASSWORD} ${i}`))).rejects.toMatchObject({
        code: "UNAUTHORIZED",
      });
    }
    await expect(anonymous().account.signUp(signUpInput(email, PASSWORD))).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    await expect(signInWithPassword(email, PASSWORD)).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
  });

  it("invitation sign-up for an email that has an account: its password accepts, another gets a failed sign-in's answer", async () => {
    const owner = await newOwner();
    const invitee = await newAccount();
    const { invitePath } = await owner.caller.tenant.invite({ tenantSlug: owner.slug, email: invitee.email, role: "VIEWER" });
    const token = invitePath.split("/").at(-1)!;
    const wrong = await answerOf(anonymous().account.signUpWithInvitation({ token, name: "Ivy", password: OTHER_PASSWORD }));
    expect(wrong).toEqual({ code: "UNAUTHORIZED", message: CREDENTIALS_MISMATCH, field: null });
    await expect(anonymous().account.signUpWithInvitation({ token, name: "Ivy", password: PASSWORD })).resolves.toEqual({
      email: invitee.email,
      tenantSlug: owner.slug,
    });
    expect((await invitee.caller.account.me()).tenants.map((t) => t.slug)).toContain(owner.slug);
  });
});
