import { z } from "zod";
import { zEmail, zPassword, zTenantName, zTenantSlug } from "@/lib/validation/tenancy";
import { db } from "@/server/db";
import { hashPassword } from "@/server/auth/password";
import { passwordProblem } from "@/server/auth/password-policy";
import { createTenantWithOwner } from "@/server/tenancy/tenants";
import { str, UsageError, type Command } from "../command";

const zCreate = z.object({ slug: zTenantSlug, name: zTenantName, email: zEmail, password: zPassword });

function validate<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new UsageError(
      parsed.error.issues
        .map((i) => `--${String(i.path[0]).replace("email", "owner-email").replace("password", "owner-password")}: ${i.message}`)
        .join("\n"),
    );
  }
  return parsed.data;
}

export const tenantCreate: Command = {
  name: "tenant:create",
  summary: "Create a tenant and its owner account (or make an existing account its owner).",
  usage: "npm run cli -- tenant:create --slug S --name N --owner-email E --owner-password P",
  options: { slug: { type: "string" }, name: { type: "string" }, "owner-email": { type: "string" }, "owner-password": { type: "string" } },
  required: ["slug", "name", "owner-email"],
  async run(values) {
    const input = validate(zCreate.partial({ password: true }), {
      slug: str(values, "slug"),
      name: str(values, "name"),
      email: str(values, "owner-email"),
      password: str(values, "owner-password") || undefined,
    });
    const accountName = input.email.split("@")[0] ?? input.email;
    // A new owner's password is checked and hashed before the transaction: loading the policy's
    // dictionaries and hashing take longer than a transaction should stay open.
    const isNewAccount = !(await db().account.findUnique({ where: { email: input.email }, select: { id: true } }));
    let passwordHash: string | null = null;
    if (isNewAccount) {
      if (!input.password) throw new UsageError(`No account exists for ${input.email}: give --owner-password to create it.`);
      // The same policy as sign-up: length, and nothing common, breached, guessable or personal.
      const problem = await passwordProblem(input.password, { email: input.email, name: accountName });
      if (problem) throw new UsageError(`--owner-password: ${problem}`);
      passwordHash = await hashPassword(input.password);
    }
    const tenant = await db().$transaction(async (tx) => {
      let account = await tx.account.findUnique({ where: { email: input.email } });
      if (!account) {
        if (!passwordHash) throw new UsageError(`No account exists for ${input.email}: give --owner-password to create it.`);
        account = await tx.account.create({ data: { email: input.email, name: accountName, passwordHash } });
      }
      return createTenantWithOwner(tx, { slug: input.slug, name: input.name, ownerAccountId: account.id });
    });
    console.log(`Created tenant "${tenant.name}" owned by ${input.email}.`);
    console.log(tenant.slug);
  },
};

export const tenantList: Command = {
  name: "tenant:list",
  summary: "List tenants, one per line: slug, name, members, users.",
  usage: "npm run cli -- tenant:list",
  options: {},
  async run() {
    const tenants = await db().tenant.findMany({
      orderBy: { slug: "asc" },
      select: { slug: true, name: true, _count: { select: { memberships: true, users: true } } },
    });
    for (const t of tenants) console.log(`${t.slug}\t${t.name}\t${t._count.memberships} member(s)\t${t._count.users} user(s)`);
  },
};
