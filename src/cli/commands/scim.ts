import { generateScimToken } from "@/server/scim-import/tokens";
import { str, type Command } from "../command";
import { tenantFromOption } from "../tenant-option";

export const scimTokenCreate: Command = {
  name: "scim-token:create",
  summary: "Generate (or regenerate) a tenant's SCIM Import token; the old one stops working. Prints the token on the last line.",
  usage: "npm run cli -- scim-token:create --tenant <slug>",
  options: { tenant: { type: "string" } },
  required: ["tenant"],
  async run(values) {
    const slug = str(values, "tenant");
    const tenant = await tenantFromOption(slug);
    const { token } = await generateScimToken({ tenantId: tenant.id });
    console.log(`SCIM token for "${tenant.slug}" (shown once; any previous token no longer works):`);
    console.log(token);
  },
};
