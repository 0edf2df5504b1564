import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { unique } from "@/testing/factories/directory";
import { appRouter, createCaller } from "@/server/trpc/router";
import { newOwner } from "@/testing/factories/trpc";

/**
 * Issue 13 item 5: every place that sets a password applies the policy (cases in
 * password-policy.test.ts): sign-up, invitation sign-up and the CLI. The refusal comes back
 * under the form's password field, and nothing is created.
 */
const anonymous = () => createCaller({ session: null, clientAddress: "192.0.2.10" });

function signUpInput(password: string) {
  return { name: "Jane Doe", email: `${unique("jane")}@example.com`, password, tenantName: "Acme", tenantSlug: unique("acme") };
}

/** The account.signUp answer over HTTP, as the sign-up form receives it. */
async function signUpOverHttp(input: ReturnType<typeof signUpInput>) {
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request("http://localhost:3000/api/trpc/account.signUp", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: input }),
    }),
    router: appRouter,
    createContext: () => ({ session: null, clientAddress: "192.0.2.11" }),
  });
  const body = (await response.json()) as { error?: { json: { message: string; data: { field: string | null } } } };
  return { status: response.status, error: body.error?.json };
}

const run = promisify(execFile);

describe("password policy where passwords are set", () => {
  it("sign-up refuses a guessable password under the password field, and creates nothing", async () => {
    const input = signUpInput("password1234");
    const { status, error } = await signUpOverHttp(input);
    expect(status).toBe(400);
    expect(error?.message).toMatch(/too easy to guess/);
    expect(error?.data.field).toBe("password");
    expect(await db().account.count({ where: { email: input.email } })).toBe(0);
  });

  it("sign-up refuses the issue's examples: ten spaces, password12, aaaaaaaaaa", async () => {
    for (const password of [" ".repeat(10), "password12", "aaaaaaaaaa", " ".repeat(12), "aaaaaaaaaaaa"]) {
      await expect(anonymous().account.signUp(signUpInput(password))).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
  });

  it("sign-up refuses a password made of the person's name or email", async () => {
    const input = { ...signUpInput("x"), password: "" };
    input.password = `${input.email.split("@")[0]} is me`;
    await expect(anonymous().account.signUp(input)).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { field: "password" } });
    await expect(anonymous().account.signUp({ ...signUpInput("x"), password: "jane doe forever" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      cause: { field: "password", message: "Do not use your name or email address in your password." },
    });
  });

  it("sign-up accepts a long passphrase", async () => {
    await expect(anonymous().account.signUp(signUpInput("mauve kettle drifts north"))).resolves.toMatchObject({
      tenantSlug: expect.any(String),
    });
  });

  it("invitation sign-up applies the same policy", async () => {
    const owner = await newOwner();
    const email = `${unique("invitee")}@example.com`;
    const { invitePath } = await owner.caller.tenant.invite({ tenantSlug: owner.slug, email, role: "VIEWER" });
    const token = invitePath.split("/").at(-1)!;
    await expect(anonymous().account.signUpWithInvitation({ token, name: "Ivy", password: "qwertyuiopas" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      cause: { field: "password" },
    });
    await expect(anonymous().account.signUpWithInvitation({ token, name: "Ivy", password: "password12" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await db().account.count({ where: { email } })).toBe(0);
    await expect(anonymous().account.signUpWithInvitation({ token, name: "Ivy", password: "mauve kettle drifts north" })).resolves.toEqual({
      email,
      tenantSlug: owner.slug,
    });
  });

  it("the CLI's tenant:create refuses a guessable --owner-password with exit code 2", async () => {
    const tsx = path.resolve("node_modules/.bin/tsx");
    const args = [
      "src/cli/main.ts",
      "tenant:create",
      "--slug",
      unique("cli"),
      "--name",
      "CLI",
      "--owner-email",
      `${unique("ops")}@cli.test`,
    ];
    const weak = await run(tsx, [...args, "--owner-password", "password1234"], { timeout: 60_000 }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect("code" in weak && weak.code, weak.stderr).toBe(2);
    expect(weak.stderr).toContain("--owner-password: This password is too easy to guess.");
  });
});
