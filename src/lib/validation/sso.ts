import { z } from "zod";

/** Shared by the console forms and the tRPC procedures. */
export const zProfileName = z.string().trim().min(1, "Give the profile a name.").max(80, "At most 80 characters.");
export const zPriority = z.number().int("A whole number.").min(1, "At least 1.").max(1000, "At most 1000.");
export const zProfileId = z.string().uuid("Unknown profile.");

export const zMetadataSource = z.union([
  z.object({
    metadataXml: z
      .string()
      .min(1, "Paste the IdP metadata XML, or upload the file.")
      .max(512 * 1024, "The metadata is larger than 512 KB."),
  }),
  z.object({ metadataUrl: z.string().trim().url("Enter the metadata URL, e.g. https://your-idp.example.com/app/metadata.") }),
]);

export const zCreateSamlProfile = z.object({
  name: zProfileName,
  priority: zPriority.default(100),
  groupIds: z.array(z.string().uuid()).max(500).default([]),
  source: zMetadataSource,
  /** Sign-in from the IdP's dashboard (an Okta app tile): on for new profiles. */
  allowIdpInitiated: z.boolean().default(true),
});

export const zCreateOidcProfile = z.object({
  name: zProfileName,
  priority: zPriority.default(100),
  groupIds: z.array(z.string().uuid()).max(500).default([]),
  discoveryUrl: z.string().trim().url("Enter the issuer or discovery URL, e.g. https://login.example.com."),
  clientId: z.string().trim().min(1, "Enter the client id.").max(500),
  clientSecret: z.string().min(1, "Enter the client secret.").max(2000),
});

export const zReplaceMetadata = z.object({ profileId: zProfileId, source: zMetadataSource });

/** The client secret is write-only: blank keeps the stored one. */
export const zOidcSettings = z.object({
  discoveryUrl: z.string().trim().url("Enter the issuer or discovery URL, e.g. https://login.example.com."),
  clientId: z.string().trim().min(1, "Enter the client id.").max(500),
  clientSecret: z.string().max(2000).optional(),
});
export const zUpdateOidcSettings = zOidcSettings.extend({ profileId: zProfileId });

export const zSignInListInput = z.object({
  outcome: z.enum(["SUCCESS", "REFUSED"]).optional(),
  mode: z.enum(["PORTAL", "TEST"]).optional(),
  search: z.string().trim().max(200).optional(),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.union([z.literal(25), z.literal(50), z.literal(100)]).default(25),
});
