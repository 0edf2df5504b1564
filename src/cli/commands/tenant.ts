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
    throw new UsageError(parsed.error.issues.map((i) => `--${String(i.path[0]).replace("email", "owner-email").replace("password", "owner-password")}: ${i.message}`).join("\n"));
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
    const tenant = await db().$transaction(async (tx) => {
      let account = await tx.account.findUnique({ where: { email: input.email } });
      if (!account) {
        if (!input.password) throw new UsageError(`No account exists for ${input.email}: give --owner-password to create it.`);
        const name = input.email.split("@")[0] ?? input.email;
        // The same policy as sign-up: length, and nothing common, breached or guessable.
        const problem = passwordProblem(input.password, { email: input.email, name });
        if (problem) throw new UsageError(`--owner-password: ${problem}`);
        account = await tx.account.create({ data: { email: input.email, name, passwordHash: await hashPassword(input.password) } });
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


