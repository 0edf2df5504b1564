import { z } from "zod";

const RESERVED_SLUGS = ["api", "new", "admin", "portal", "sign-in", "sign-up", "invite", "t", "static", "_next"];

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

/**
 * Password length, counted in code points (what a person sees as characters). The server also
 * refuses common, breached and guessable passwords (src/server/auth/password-policy.ts); this
 * schema is what the form can check without the dictionaries.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_RULE = `At least ${PASSWORD_MIN_LENGTH} characters; avoid common words and patterns`;

const codePoints = (text: string) => [...text].length;

export const zPassword = z
  .string()
  // A code point is at most two UTF-16 units: longer text is refused before it is counted.
  .max(PASSWORD_MAX_LENGTH * 2, { message: `Use at most ${PASSWORD_MAX_LENGTH} characters.`, abort: true })
  .refine((password) => codePoints(password) >= PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
  .refine((password) => codePoints(password) <= PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`);

const zPersonName = z.string().trim().min(1, "Enter your name.").max(100, "At most 100 characters.");

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
