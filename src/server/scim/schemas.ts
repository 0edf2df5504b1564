import { extensionUrnProblem } from "@/lib/validation/scim-extensions";
import { SCHEMA, sameUrn } from "./schema-urns";

export { SCHEMA, sameUrn } from "./schema-urns";

/** RFC 7643 §2.3 data types. */
type AttributeType = "string" | "boolean" | "decimal" | "integer" | "dateTime" | "reference" | "binary" | "complex";
type Mutability = "readOnly" | "readWrite" | "immutable" | "writeOnly";
type Returned = "always" | "never" | "default" | "request";
type Uniqueness = "none" | "server" | "global";

/** One attribute characteristic set of RFC 7643 §2.2 / §7, as served by /Schemas. */
export interface AttributeDef {
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly uniqueness: Uniqueness;
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
  readonly subAttributes?: readonly AttributeDef[];
}

export interface SchemaDef {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly AttributeDef[];
}

/** A resource type with its core schema and extensions (RFC 7643 §6). */
export interface ResourceDef {
  readonly name: "User" | "Group";
  readonly endpoint: "/Users" | "/Groups";
  readonly description: string;
  readonly schema: SchemaDef;
  readonly extensions: readonly { readonly schema: SchemaDef; readonly required: boolean }[];
  /**
   * Extension schemas and attributes not declared here: "accept" takes them as singular strings
   * (a tenant's SCIM Import by default, so that an admin mapping one custom attribute in Okta or
   * Entra never stops provisioning); absent or "refuse": a 400 naming what is not declared.
   */
  readonly undeclaredExtensions?: "accept" | "refuse";
}

type AttrOptions = Partial<Omit<AttributeDef, "name" | "type" | "subAttributes">>;

function attr(name: string, type: AttributeType, options: AttrOptions = {}, subAttributes?: readonly AttributeDef[]): AttributeDef {
  return {
    name,
    type,
    multiValued: options.multiValued ?? false,
    description: options.description ?? "",
    required: options.required ?? false,
    caseExact: options.caseExact ?? false,
    mutability: options.mutability ?? "readWrite",
    returned: options.returned ?? "default",
    uniqueness: options.uniqueness ?? "none",
    ...(options.canonicalValues ? { canonicalValues: options.canonicalValues } : {}),
    ...(options.referenceTypes ? { referenceTypes: options.referenceTypes } : {}),
    ...(subAttributes ? { subAttributes } : {}),
  };
}

const str = (name: string, options: AttrOptions = {}) => attr(name, "string", options);

/** The usual multi-valued shape of RFC 7643 §2.4: value, display, type, primary. */
function multiValued(
  name: string,
  description: string,
  types: readonly string[],
  options: { valueType?: AttributeType; valueReferenceTypes?: readonly string[]; mutability?: Mutability } = {},
): AttributeDef {
  const valueOptions: AttrOptions = {
    ...(options.valueReferenceTypes ? { referenceTypes: options.valueReferenceTypes } : {}),
    // RFC 7643 §2.3.6: binary values are case exact.
    ...(options.valueType === "binary" ? { caseExact: true } : {}),
  };
  return attr(name, "complex", { multiValued: true, description, ...(options.mutability ? { mutability: options.mutability } : {}) }, [
    attr("value", options.valueType ?? "string", valueOptions),
    str("display"),
    str("type", types.length > 0 ? { canonicalValues: types } : {}),
    attr("primary", "boolean"),
  ]);
}

/** RFC 7643 §3.1 common attributes: not listed by /Schemas, but filterable and projectable. */
export const COMMON_ATTRIBUTES: readonly AttributeDef[] = [
  str("id", { caseExact: true, mutability: "readOnly", returned: "always", uniqueness: "server" }),
  str("externalId", { caseExact: true }),
  attr("meta", "complex", { mutability: "readOnly" }, [
    str("resourceType", { caseExact: true, mutability: "readOnly" }),
    attr("created", "dateTime", { mutability: "readOnly" }),
    attr("lastModified", "dateTime", { mutability: "readOnly" }),
    attr("location", "reference", { caseExact: true, mutability: "readOnly", referenceTypes: ["uri"] }),
    str("version", { caseExact: true, mutability: "readOnly" }),
  ]),
];

/** RFC 7643 §4.1 / §8.7.1. */
export const USER_SCHEMA: SchemaDef = {
  id: SCHEMA.user,
  name: "User",
  description: "User Account",
  attributes: [
    str("userName", { required: true, uniqueness: "server", description: "Unique identifier for the User; matched case-insensitively." }),
    attr("name", "complex", {}, [
      str("formatted"),
      str("familyName"),
      str("givenName"),
      str("middleName"),
      str("honorificPrefix"),
      str("honorificSuffix"),
    ]),
    str("displayName"),
    str("nickName"),
    attr("profileUrl", "reference", { referenceTypes: ["external"] }),
    str("title"),
    str("userType"),
    str("preferredLanguage"),
    str("locale"),
    str("timezone"),
    attr("active", "boolean"),
    str("password", { mutability: "writeOnly", returned: "never" }),
    multiValued("emails", "Email addresses for the user.", ["work", "home", "other"]),
    multiValued("phoneNumbers", "Phone numbers for the User.", ["work", "home", "mobile", "fax", "pager", "other"]),
    multiValued("ims", "Instant messaging addresses for the User.", ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"]),
    multiValued("photos", "URLs of photos of the User.", ["photo", "thumbnail"], {
      valueType: "reference",
      valueReferenceTypes: ["external"],
    }),
    attr("addresses", "complex", { multiValued: true }, [
      str("formatted"),
      str("streetAddress"),
      str("locality"),
      str("region"),
      str("postalCode"),
      str("country"),
      str("type", { canonicalValues: ["work", "home", "other"] }),
      attr("primary", "boolean"),
    ]),
    attr(
      "groups",
      "complex",
      { multiValued: true, mutability: "readOnly", description: "Read-only: change memberships through /Groups." },
      [
        str("value", { mutability: "readOnly" }),
        attr("$ref", "reference", { mutability: "readOnly", referenceTypes: ["User", "Group"] }),
        str("display", { mutability: "readOnly" }),
        str("type", { mutability: "readOnly", canonicalValues: ["direct", "indirect"] }),
      ],
    ),
    multiValued("entitlements", "Entitlements of the User.", []),
    multiValued("roles", "Roles of the User.", []),
    multiValued("x509Certificates", "Certificates of the User.", [], { valueType: "binary" }),
  ],
};

/** RFC 7643 §4.3. */
export const ENTERPRISE_USER_SCHEMA: SchemaDef = {
  id: SCHEMA.enterpriseUser,
  name: "EnterpriseUser",
  description: "Enterprise User",
  attributes: [
    str("employeeNumber"),
    str("costCenter"),
    str("organization"),
    str("division"),
    str("department"),
    attr("manager", "complex", {}, [
      str("value", { caseExact: true }),
      attr("$ref", "reference", { referenceTypes: ["User"] }),
      str("displayName", { mutability: "readOnly" }),
    ]),
  ],
};

/** RFC 7643 §4.2 / §8.7.1. */
export const GROUP_SCHEMA: SchemaDef = {
  id: SCHEMA.group,
  name: "Group",
  description: "Group",
  attributes: [
    str("displayName", { required: true, description: "A human-readable name for the Group." }),
    attr("members", "complex", { multiValued: true, description: "A list of members of the Group." }, [
      str("value", { caseExact: true, mutability: "immutable" }),
      attr("$ref", "reference", { mutability: "immutable", referenceTypes: ["User", "Group"] }),
      str("display", { mutability: "immutable" }),
      str("type", { mutability: "immutable", canonicalValues: ["User", "Group"] }),
    ]),
  ],
};

export const USER_RESOURCE: ResourceDef = {
  name: "User",
  endpoint: "/Users",
  description: "User Account",
  schema: USER_SCHEMA,
  extensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
};

export const GROUP_RESOURCE: ResourceDef = {
  name: "Group",
  endpoint: "/Groups",
  description: "Group",
  schema: GROUP_SCHEMA,
  extensions: [],
};

export const RESOURCES: readonly ResourceDef[] = [USER_RESOURCE, GROUP_RESOURCE];

/** Every schema URN that may prefix an attribute path; longest first so prefixes never shadow. */
export const ATTRIBUTE_SCHEMA_URNS: readonly string[] = [SCHEMA.user, SCHEMA.group, SCHEMA.enterpriseUser].sort(
  (a, b) => b.length - a.length,
);

export function findAttribute(defs: readonly AttributeDef[] | undefined, name: string): AttributeDef | undefined {
  const lower = name.toLowerCase();
  return defs?.find((def) => def.name.toLowerCase() === lower);
}

/** A resolved attribute: where it lives and its canonical spelling (RFC 7643 §2.1: names are case-insensitive). */
export interface ResolvedAttribute {
  /** The schema URN it belongs to (core schema for common attributes). */
  readonly schema: string;
  /** True for extension attributes, which live under `resource[schema]`. */
  readonly inExtension: boolean;
  readonly attribute: AttributeDef;
  readonly subAttribute: AttributeDef | undefined;
  /** Canonical key: `name.givenName`, or `urn:…:enterprise:2.0:User:manager.value` for extensions. */
  readonly key: string;
}

export interface AttributePathLike {
  readonly schema: string | undefined;
  readonly attribute: string;
  readonly subAttribute: string | undefined;
}

/**
 * Finds the extension of `resource` named by `urn`, any case; for a resource that accepts
 * undeclared extensions, any other extension URN is one with no declared attributes.
 */
export function findExtension(resource: ResourceDef, urn: string): SchemaDef | undefined {
  return resource.extensions.find((extension) => sameUrn(extension.schema.id, urn))?.schema ?? undeclaredExtension(resource, urn);
}

/** Whether `resource` declares the extension `urn` (any case). */
export function declaresExtension(resource: ResourceDef, urn: string): boolean {
  return resource.extensions.some((extension) => sameUrn(extension.schema.id, urn));
}

/** An undeclared extension schema `resource` accepts: no attributes known, each one a string. */
function undeclaredExtension(resource: ResourceDef, urn: string): SchemaDef | undefined {
  if (resource.undeclaredExtensions !== "accept" || sameUrn(urn, resource.schema.id) || extensionUrnProblem(urn) !== undefined)
    return undefined;
  return { id: urn, name: urn, description: "Undeclared extension: its attributes are kept as strings.", attributes: [] };
}

/**
 * An attribute of an undeclared extension, or an undeclared attribute of a tenant's own extension:
 * a singular string. The enterprise extension (RFC 7643 §4.3) keeps its fixed attributes.
 */
function undeclaredAttribute(resource: ResourceDef, path: AttributePathLike): ResolvedAttribute | undefined {
  if (path.schema === undefined || path.subAttribute !== undefined || sameUrn(path.schema, SCHEMA.enterpriseUser)) return undefined;
  const schema = findExtension(resource, path.schema);
  if (!schema || resource.undeclaredExtensions !== "accept") return undefined;
  const attribute = str(path.attribute, { description: "Undeclared: kept as a string." });
  return { schema: schema.id, inExtension: true, attribute, subAttribute: undefined, key: keyOf(schema.id, true, attribute.name) };
}

/**
 * Resolves a parsed path against the resource's schemas. Without a URN, the core schema and common
 * attributes are searched first, then extensions: some clients omit the URN for extension
 * attributes, and an unambiguous match costs nothing.
 */
export function resolveAttribute(resource: ResourceDef, path: AttributePathLike): ResolvedAttribute | undefined {
  // Every PATCH and body resolves the same few names: remembered per resource definition.
  let known = resolvedByResource.get(resource);
  if (!known) resolvedByResource.set(resource, (known = new Map()));
  const cacheKey = `${path.schema ?? ""}\n${path.attribute}\n${path.subAttribute ?? ""}`;
  const cached = known.get(cacheKey);
  if (cached !== undefined) return cached ?? undefined;
  const resolved = resolveUncached(resource, path);
  if (known.size < MAX_RESOLVED_PER_RESOURCE) known.set(cacheKey, resolved ? Object.freeze(resolved) : null);
  return resolved;
}

/** Clients choose the names (any letter case): past this many per resource, the rest are resolved every time. */
const MAX_RESOLVED_PER_RESOURCE = 2_000;
const resolvedByResource = new WeakMap<ResourceDef, Map<string, ResolvedAttribute | null>>();

function resolveUncached(resource: ResourceDef, path: AttributePathLike): ResolvedAttribute | undefined {
  const candidates: { schema: SchemaDef; attributes: readonly AttributeDef[]; inExtension: boolean }[] = [];
  if (path.schema === undefined || sameUrn(path.schema, resource.schema.id)) {
    candidates.push({ schema: resource.schema, attributes: [...COMMON_ATTRIBUTES, ...resource.schema.attributes], inExtension: false });
  }
  for (const extension of resource.extensions) {
    if (path.schema === undefined || sameUrn(path.schema, extension.schema.id)) {
      candidates.push({ schema: extension.schema, attributes: extension.schema.attributes, inExtension: true });
    }
  }
  if (path.schema !== undefined && candidates.length === 0) {
    const undeclared = findExtension(resource, path.schema);
    if (undeclared) candidates.push({ schema: undeclared, attributes: undeclared.attributes, inExtension: true });
  }
  for (const candidate of candidates) {
    const attribute = findAttribute(candidate.attributes, path.attribute);
    if (!attribute) continue;
    let subAttribute: AttributeDef | undefined;
    if (path.subAttribute !== undefined) {
      subAttribute = findAttribute(attribute.subAttributes, path.subAttribute);
      if (!subAttribute) return undefined;
    }
    const local = subAttribute ? `${attribute.name}.${subAttribute.name}` : attribute.name;
    return {
      schema: candidate.schema.id,
      inExtension: candidate.inExtension,
      attribute,
      subAttribute,
      key: keyOf(candidate.schema.id, candidate.inExtension, local),
    };
  }
  return undeclaredAttribute(resource, path);
}

function keyOf(schema: string, inExtension: boolean, local: string): string {
  return inExtension ? `${schema}:${local}` : local;
}

/** The parent of `emails.value`: `emails`. */
export function withoutSubAttribute(resolved: ResolvedAttribute): ResolvedAttribute {
  return { ...resolved, subAttribute: undefined, key: keyOf(resolved.schema, resolved.inExtension, resolved.attribute.name) };
}

/** `emails` + its `value` definition: `emails.value`. */
export function withSubAttribute(resolved: ResolvedAttribute, subAttribute: AttributeDef): ResolvedAttribute {
  return {
    ...resolved,
    subAttribute,
    key: keyOf(resolved.schema, resolved.inExtension, `${resolved.attribute.name}.${subAttribute.name}`),
  };
}

/** The definition that governs the value at a resolved path (the sub-attribute when there is one). */
export function leafDef(resolved: ResolvedAttribute): AttributeDef {
  return resolved.subAttribute ?? resolved.attribute;
}

/** Human-readable reason a path did not resolve, for error details. */
export function describeUnresolved(resource: ResourceDef, path: AttributePathLike): string {
  if (path.schema !== undefined && !sameUrn(path.schema, resource.schema.id) && !findExtension(resource, path.schema)) {
    const known = [resource.schema.id, ...resource.extensions.map((e) => e.schema.id)].join(", ");
    const how =
      resource.undeclaredExtensions === "refuse" && extensionUrnProblem(path.schema) === undefined
        ? "; this tenant refuses undeclared extensions: declare it in the console (SCIM Import → User extensions)"
        : "";
    return `schema ${JSON.stringify(path.schema)} is not supported for ${resource.name} (supported: ${known})${how}`;
  }
  const parent = resolveAttribute(resource, { schema: path.schema, attribute: path.attribute, subAttribute: undefined });
  if (parent && path.subAttribute !== undefined) {
    const subs = parent.attribute.subAttributes?.map((s) => s.name);
    return subs
      ? `${parent.attribute.name} has no sub-attribute ${JSON.stringify(path.subAttribute)} (it has: ${subs.join(", ")})`
      : `${parent.attribute.name} is not complex and has no sub-attributes`;
  }
  const extension = path.schema === undefined ? undefined : resource.extensions.find((e) => sameUrn(e.schema.id, path.schema as string));
  if (extension && !sameUrn(extension.schema.id, SCHEMA.enterpriseUser)) {
    const declared = extension.schema.attributes.map((a) => a.name).join(", ") || "none";
    return `attribute ${JSON.stringify(path.attribute)} is not declared in ${extension.schema.id} (declared: ${declared}); declare it in the console (SCIM Import → User extensions)`;
  }
  return `attribute ${JSON.stringify(path.attribute)} is not defined for ${resource.name}`;
}
