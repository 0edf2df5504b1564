/**
 * A tenant's SCIM User extension schemas, as the console declares them and SCIM Import enforces
 * them (server/scim/user-extensions.ts). Pure zod: the console's form and the tRPC procedure
 * share it. Messages are shown to people as they are.
 *
 * Okta sends attributes added in its profile editor under an extension schema such as
 * `urn:ietf:params:scim:schemas:extension:acme:2.0:User`; Entra ID under
 * `urn:ietf:params:scim:schemas:extension:<CustomExtensionName>:2.0:User`.
 */
import { z } from "zod";

/** RFC 7643 §2.3 types a custom attribute may have (complex and binary are not offered). */
export const EXTENSION_ATTRIBUTE_TYPES = ["string", "boolean", "integer", "decimal", "dateTime", "reference"] as const;
export type ExtensionAttributeType = (typeof EXTENSION_ATTRIBUTE_TYPES)[number];

const CORE_SCHEMAS = [
  "urn:ietf:params:scim:schemas:core:2.0:user",
  "urn:ietf:params:scim:schemas:core:2.0:group",
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user",
];

/**
 * Why `urn` cannot name a User extension schema, or undefined. A URN (RFC 8141 shape) of at least
 * three parts; not a core schema, the enterprise extension (built in) or a message URN.
 */
export function extensionUrnProblem(urn: string): string | undefined {
  if (!/^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}(:[A-Za-z0-9()+,\-.=@;$_!*'%/?#]+){2,}$/.test(urn)) {
    return "Enter a schema URN such as urn:ietf:params:scim:schemas:extension:acme:2.0:User (no spaces).";
  }
  const lower = urn.toLowerCase();
  if (CORE_SCHEMAS.includes(lower)) return "This schema is built in; declare only your own extensions.";
  if (lower.startsWith("urn:ietf:params:scim:api:") || lower.startsWith("urn:ietf:params:scim:schemas:core:")) {
    return "This URN is reserved by SCIM (RFC 7643, RFC 7644).";
  }
  return undefined;
}

/** RFC 7643 §2.1 ATTRNAME: a letter, then letters, digits, "_" or "-". */
const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,99}$/;

export const zExtensionAttribute = z.object({
  name: z.string().trim().regex(ATTRIBUTE_NAME, 'A letter, then letters, digits, "_" or "-" (at most 100), as SCIM attribute names are.'),
  type: z.enum(EXTENSION_ATTRIBUTE_TYPES, { error: "Choose a type." }),
  description: z.string().trim().max(500, "At most 500 characters.").default(""),
});
export type ExtensionAttribute = z.infer<typeof zExtensionAttribute>;

export const zExtensionUrn = z
  .string()
  .trim()
  .max(300, "At most 300 characters.")
  .superRefine((urn, ctx) => {
    const problem = extensionUrnProblem(urn);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const zDeclaredExtension = z
  .object({
    urn: zExtensionUrn,
    attributes: z.array(zExtensionAttribute).max(200, "At most 200 attributes per extension."),
  })
  .superRefine((extension, ctx) => {
    const seen = new Set<string>();
    extension.attributes.forEach((attribute, i) => {
      // SCIM attribute names are case-insensitive (RFC 7643 §2.1).
      const key = attribute.name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["attributes", i, "name"], message: `${attribute.name} is declared twice.` });
      seen.add(key);
    });
  });
export type DeclaredExtension = z.infer<typeof zDeclaredExtension>;

/** What to do with an extension schema or attribute the tenant did not declare. */
export const UNDECLARED_POLICIES = ["accept", "refuse"] as const;
export type UndeclaredPolicy = (typeof UNDECLARED_POLICIES)[number];

export const zUserExtensionSettings = z
  .object({
    /** accept: kept as strings (the default, so provisioning never stops); refuse: 400. */
    undeclared: z.enum(UNDECLARED_POLICIES).default("accept"),
    extensions: z.array(zDeclaredExtension).max(20, "At most 20 extension schemas.").default([]),
  })
  .superRefine((settings, ctx) => {
    const seen = new Set<string>();
    settings.extensions.forEach((extension, i) => {
      const key = extension.urn.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["extensions", i, "urn"], message: `${extension.urn} is declared twice.` });
      seen.add(key);
    });
  });
export type UserExtensionSettings = z.infer<typeof zUserExtensionSettings>;

export const DEFAULT_USER_EXTENSION_SETTINGS: UserExtensionSettings = { undeclared: "accept", extensions: [] };

/** Stored settings as read back: anything unreadable counts as the defaults (never a failed request). */
export function readUserExtensionSettings(stored: unknown): UserExtensionSettings {
  const parsed = zUserExtensionSettings.safeParse(stored ?? {});
  return parsed.success ? parsed.data : DEFAULT_USER_EXTENSION_SETTINGS;
}
