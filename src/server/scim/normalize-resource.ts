import { z } from "zod";
import { applyValueObject } from "./apply-patch";
import { ScimError } from "./errors";
import { type JsonLimits, DEFAULT_JSON_LIMITS, assertJsonWithinLimits } from "./json-limits";
import { type JsonObject, isJsonObject } from "./json-object";
import { isMembersKey, memberIds } from "./plan-group-patch";
import { type ResourceDef, GROUP_RESOURCE, SCHEMA, USER_RESOURCE, findExtension, sameUrn } from "./schemas";

const text = z.string();
/**
 * Names, identifiers and emails are indexed for lookups, sorting and search, and an index entry
 * has a size limit (~2.7 KB): they are capped like the console's fields (a 5,000-character
 * displayName was a 500). Identity providers stay far below (Okta: 100, Entra: 256 characters).
 */
const MAX_NAME_LENGTH = 256;
const TOO_LONG = { error: `at most ${MAX_NAME_LENGTH} characters` };
const indexedText = z.string().max(MAX_NAME_LENGTH, TOO_LONG);
const multiValuedOf = (value: z.ZodString) =>
  z.array(z.object({ value: value.optional(), display: text.optional(), type: text.optional(), primary: z.boolean().optional() }));
const multiValued = multiValuedOf(text);
/** The primary email is a column of its own, indexed. */
const emails = multiValuedOf(indexedText);

const userSchema = z.object({
  schemas: z.array(z.string()),
  // Stored trimmed (Okta trims too); uniqueness compares a canonical key (directory/user-fields.ts).
  userName: z
    .string({ error: "userName is required (a non-empty string)" })
    .trim()
    .max(MAX_NAME_LENGTH, TOO_LONG)
    .refine((name) => name.trim() !== "", "userName must not be empty"),
  externalId: indexedText.optional(),
  name: z
    .object({
      formatted: indexedText.optional(),
      familyName: indexedText.optional(),
      givenName: indexedText.optional(),
      middleName: indexedText.optional(),
      honorificPrefix: text.optional(),
      honorificSuffix: text.optional(),
    })
    .optional(),
  displayName: indexedText.optional(),
  nickName: text.optional(),
  profileUrl: text.optional(),
  title: text.optional(),
  userType: text.optional(),
  preferredLanguage: text.optional(),
  locale: text.optional(),
  timezone: text.optional(),
  active: z.boolean().optional(),
  emails: emails.optional(),
  phoneNumbers: multiValued.optional(),
  ims: multiValued.optional(),
  photos: multiValued.optional(),
  addresses: z
    .array(
      z.object({
        formatted: text.optional(),
        streetAddress: text.optional(),
        locality: text.optional(),
        region: text.optional(),
        postalCode: text.optional(),
        country: text.optional(),
        type: text.optional(),
        primary: z.boolean().optional(),
      }),
    )
    .optional(),
  entitlements: multiValued.optional(),
  roles: multiValued.optional(),
  x509Certificates: multiValued.optional(),
  [SCHEMA.enterpriseUser]: z
    .object({
      employeeNumber: text.optional(),
      costCenter: text.optional(),
      organization: text.optional(),
      division: text.optional(),
      department: text.optional(),
      manager: z.object({ value: text.optional(), $ref: text.optional() }).optional(),
    })
    .optional(),
});

/** Values of one extension schema: attribute (declared spelling) → typed value. */
export type ExtensionValues = Readonly<Record<string, Readonly<Record<string, string | number | boolean>>>>;

/**
 * A User body after validation: canonical attribute names, typed values, read-only and password
 * gone. `extensions`: the tenant's custom extensions (not core, not enterprise) by schema URN,
 * present when the body has any.
 */
export type ScimUserInput = z.infer<typeof userSchema> & { readonly extensions?: ExtensionValues };

const groupSchema = z.object({
  schemas: z.array(z.string()),
  displayName: z
    .string({ error: "displayName is required (a non-empty string)" })
    .max(MAX_NAME_LENGTH, TOO_LONG)
    .refine((name) => name.trim() !== "", "displayName must not be empty"),
  externalId: indexedText.optional(),
});

/**
 * A Group body after validation. Members are ids, in order, deduplicated: the caller applies them,
 * as ignoring members in POST/PUT bodies is a bug other servers shipped (INTEROP.md).
 */
export type ScimGroupInput = z.infer<typeof groupSchema> & { readonly memberIds: readonly string[] };

/** Zod keys of the validated shapes, exported so a test can hold them in step with schemas.ts. */
export const VALIDATED_USER_KEYS: readonly string[] = Object.keys(userSchema.shape);
export const VALIDATED_GROUP_KEYS: readonly string[] = Object.keys(groupSchema.shape);

/**
 * Validates a POST/PUT User body (RFC 7644 §3.3, §3.5.1). Read-only attributes (`id`, `meta`,
 * `groups`: Okta echoes them on PUT) are ignored; `password` is accepted and dropped (Okta sends a
 * placeholder); names are matched in any case and dotted / URN-prefixed keys are nested.
 * Schema URIs other than core User and the enterprise extension are a 400: RFC 7643 §3 limits
 * `schemas` to the resource type's schema and extensions, and their data would be silently lost.
 */
export function normalizeUser(
  body: unknown,
  resource: ResourceDef = USER_RESOURCE,
  limits: JsonLimits = DEFAULT_JSON_LIMITS,
): ScimUserInput {
  const input = checkBody(body, resource, limits, "reject");
  const doc = build(input, resource);
  const extensions = customExtensions(doc);
  const user = parseWith(userSchema, doc);
  return extensions ? { ...user, extensions } : user;
}

/**
 * The tenant's own extensions of a built User document (keys other than the core and enterprise
 * ones that hold an object), values already coerced to their declared type (strings when undeclared).
 */
function customExtensions(doc: JsonObject): ExtensionValues | undefined {
  let found: Record<string, Record<string, string | number | boolean>> | undefined;
  for (const [key, value] of Object.entries(doc)) {
    if (!/^urn:/i.test(key) || sameUrn(key, SCHEMA.enterpriseUser) || !isJsonObject(value)) continue;
    const attributes = Object.entries(value).filter(
      (entry): entry is [string, string | number | boolean] =>
        typeof entry[1] === "string" || typeof entry[1] === "number" || typeof entry[1] === "boolean",
    );
    if (attributes.length === 0) continue;
    found ??= {};
    found[key] = Object.fromEntries(attributes);
  }
  return found;
}

/**
 * Validates a POST/PUT Group body. Unknown schema URIs are ignored (Entra adds
 * `http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group`), and so are attributes
 * under them; everything else follows `normalizeUser`.
 */
export function normalizeGroup(body: unknown, limits: JsonLimits = DEFAULT_JSON_LIMITS): ScimGroupInput {
  const input = checkBody(body, GROUP_RESOURCE, limits, "ignore");
  const attributes: JsonObject = {};
  let ids: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (isMembersKey(key)) ids = value === null ? [] : memberIds(value, "members");
    else attributes[key] = value;
  }
  const doc = build(attributes, GROUP_RESOURCE);
  return { ...parseWith(groupSchema, doc), memberIds: ids };
}

function checkBody(body: unknown, resource: ResourceDef, limits: JsonLimits, unknownSchemas: "reject" | "ignore"): JsonObject {
  assertJsonWithinLimits(body, limits, `${resource.name} body`);
  if (!isJsonObject(body)) throw ScimError.invalidSyntax(`${resource.name} body must be a JSON object`);
  const known = [resource.schema.id, ...resource.extensions.map((extension) => extension.schema.id)];
  const isKnown = (urn: string) => known.some((id) => sameUrn(id, urn)) || findExtension(resource, urn) !== undefined;
  const input: JsonObject = {};
  for (const [key, value] of Object.entries(body)) {
    if (key.toLowerCase() === "schemas") {
      if (!Array.isArray(value) || !value.every((urn) => typeof urn === "string")) {
        throw ScimError.invalidSyntax(`"schemas" must be an array of schema URIs, e.g. ["${resource.schema.id}"]`);
      }
      if (!value.some((urn) => sameUrn(urn, resource.schema.id))) {
        throw ScimError.invalidValue(`"schemas" must include ${resource.schema.id}`);
      }
      const unknown = value.filter((urn) => !isKnown(urn));
      if (unknown.length > 0 && unknownSchemas === "reject") {
        const how =
          resource.undeclaredExtensions === "refuse"
            ? "; this tenant refuses undeclared extensions: declare it in the console (SCIM Import → User extensions)"
            : "";
        throw ScimError.invalidValue(
          `${resource.name} does not support schema ${unknown.join(", ")}; supported: ${known.join(", ")}${how}`,
        );
      }
      continue;
    }
    // Keys shaped like a URN we do not know, holding an object: data of an ignored extension.
    if (unknownSchemas === "ignore" && /^(urn:|https?:)/i.test(key) && isJsonObject(value) && !isKnown(key)) continue;
    input[key] = value;
  }
  return input;
}

function build(input: JsonObject, resource: ResourceDef): JsonObject {
  const doc: JsonObject = { schemas: [resource.schema.id] };
  try {
    applyValueObject(doc, "add", input, resource, "body");
  } catch (error) {
    // In a body, an unknown attribute is a bad value rather than a bad PATCH path.
    if (error instanceof ScimError && error.scimType === "invalidPath") throw ScimError.invalidValue(error.detail);
    throw error;
  }
  return doc;
}

function parseWith<T>(schema: z.ZodType<T>, doc: JsonObject): T {
  const parsed = schema.safeParse(doc);
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues
    .slice(0, 3)
    .map((issue) =>
      issue.path.length > 0 && !issue.message.includes(String(issue.path[0])) ? `${issue.path.join(".")}: ${issue.message}` : issue.message,
    )
    .join("; ");
  throw ScimError.invalidValue(detail);
}
