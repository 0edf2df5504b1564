import { db } from "@/server/db";
import { generateScimToken } from "@/server/scim-import/tokens";
import { str, UsageError, type Command } from "../command";

export const scimTokenCreate: Command = {
  name: "scim-token:create",
  summary: "Generate (or regenerate) a tenant's SCIM Import token; the old one stops working. Prints the token on the last line.",
  usage: "npm run cli -- scim-token:create --tenant <slug>",
  options: { tenant: { type: "string" } },
  required: ["tenant"],
  async run(values) {
    const slug = str(values, "tenant");
    const tenant = await db().tenant.findUnique({ where: { slug }, select: { id: true, slug: true } });
    if (!tenant) throw new UsageError(`No tenant with the URL name "${slug}".`);
    const { token } = await generateScimToken({ tenantId: tenant.id });
    console.log(`SCIM token for "${tenant.slug}" (shown once; any previous token no longer works):`);
    console.log(token);
  },
};
