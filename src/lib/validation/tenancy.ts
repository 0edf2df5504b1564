import { z } from "zod";

export const RESERVED_SLUGS = ["api", "new", "admin", "portal", "sign-in", "sign-up", "invite", "t", "static", "_next"];

export const zTenantSlug = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, "The URL name needs at least 2 characters.")
  .max(40, "The URL name can have at most 40 characters.")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "Use lower-case letters, digits and hyphens (not at the start or end).")
  .refine((slug) => !RESERVED_SLUGS.includes(slug), "That URL name is reserved; pick another.");

export const zTenantName = z.string().trim().min(1, "Enter the organisation's name.").max(100, "At most 100 characters.");

export const zEmail = z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address.")).pipe(z.string().max(254));

export const zPassword = z
  .string()
  .min(10, "Use at least 10 characters.")
  .max(200, "At most 200 characters.");

export const zPersonName = z.string().trim().min(1, "Enter your name.").max(100, "At most 100 characters.");

export const zRole = z.enum(["OWNER", "ADMIN", "VIEWER"]);

/** Shared by the sign-up form and the tRPC procedure. */
export const zSignUpInput = z.object({
  name: zPersonName,
  email: zEmail,
  password: zPassword,
  tenantName: zTenantName,
  tenantSlug: zTenantSlug,
});

export const zInvitedSignUpInput = z.object({ token: z.string().min(10).max(200), name: zPersonName, password: zPassword });
