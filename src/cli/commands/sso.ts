import { readFile } from "node:fs/promises";
import { db } from "@/server/db";
import { closeJackson } from "@/server/sso/jackson";
import { createSamlProfile, spMetadataForSlug } from "@/server/sso/profiles";
import { str, UsageError, type Command } from "../command";
import { tenantFromOption } from "../tenant-option";

export const ssoCreate: Command = {
  name: "sso:create",
  summary: "Create a SAML authentication profile from IdP metadata and assign it to groups; prints the profile id last.",
  usage:
    'npm run cli -- sso:create --tenant S --name N (--metadata-file F | --metadata-url U) [--groups "A,B"] [--priority P] [--sp-initiated-only]',
  options: {
    tenant: { type: "string" },
    name: { type: "string" },
    "metadata-file": { type: "string" },
    "metadata-url": { type: "string" },
    groups: { type: "string" },
    priority: { type: "string" },
    /** Refuse sign-in from the IdP's dashboard (app tiles); allowed by default. */
    "sp-initiated-only": { type: "boolean" },
  },
  required: ["tenant", "name"],
  needsAppUrl: true,
  async run(values) {
    const file = str(values, "metadata-file");
    const url = str(values, "metadata-url");
    if (Boolean(file) === Boolean(url))
      throw new UsageError(`Give exactly one of --metadata-file and --metadata-url.\nUsage: ${this.usage}`);
    const priorityText = str(values, "priority");
    const priority = priorityText ? Number(priorityText) : undefined;
    if (priority !== undefined && (!Number.isInteger(priority) || priority < 1 || priority > 1000))
      throw new UsageError("--priority must be a whole number from 1 to 1000.");
    const tenant = await tenantFromOption(str(values, "tenant"));
    const names = str(values, "groups")
      .split(",")
      .map((g) => g.trim())
      .filter(Boolean);
    const groups = names.length
      ? await db().directoryGroup.findMany({
          where: { tenantId: tenant.id, displayNameKey: { in: names.map((n) => n.toLowerCase()) } },
          select: { id: true, displayNameKey: true },
        })
      : [];
    const missing = names.filter((n) => !groups.some((g) => g.displayNameKey === n.toLowerCase()));
    if (missing.length) throw new UsageError(`No group named ${missing.map((m) => `"${m}"`).join(", ")} in ${tenant.slug}.`);
    try {
      const source = file
        ? {
            metadataXml: await readFile(file, "utf8").catch(() => {
              throw new UsageError(`Cannot read ${file}.`);
            }),
          }
        : { metadataUrl: url };
      const profile = await createSamlProfile({
        tenantId: tenant.id,
        name: str(values, "name"),
        priority,
        groupIds: groups.map((g) => g.id),
        allowIdpInitiated: values["sp-initiated-only"] !== true,
        ...source,
      });
      for (const warning of profile.warnings) console.error(`Warning: ${warning}`);
      console.log(
        `Created SAML profile "${profile.name}" (IdP ${profile.idpEntityId})${names.length ? `, assigned to ${names.join(", ")}` : ""}.`,
      );
      console.log(profile.id);
    } finally {
      await closeJackson();
    }
  },
};

export const ssoSpMetadata: Command = {
  name: "sso:sp-metadata",
  summary: "Print the tenant's SAML SP metadata XML (entity ID, ACS URL, signing certificate).",
  usage: "npm run cli -- sso:sp-metadata --tenant S",
  options: { tenant: { type: "string" } },
  required: ["tenant"],
  needsAppUrl: true,
  async run(values) {
    const tenant = await tenantFromOption(str(values, "tenant"));
    try {
      console.log((await spMetadataForSlug(tenant.slug)).xml);
    } finally {
      await closeJackson();
    }
  },
};
