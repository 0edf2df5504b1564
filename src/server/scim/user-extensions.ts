import { extensionUrnProblem, type UserExtensionSettings } from "@/lib/validation/scim-extensions";
import { SCHEMA, sameUrn } from "./schema-urns";
import { type AttributeDef, type ResourceDef, type SchemaDef, USER_RESOURCE } from "./schemas";

/**
 * A tenant's User resource: the core schema and the enterprise extension, plus the extension
 * schemas the tenant declared (their attributes typed as declared) and its policy for undeclared
 * ones. Everything that resolves User paths (bodies, PATCH, filters, projection, /Schemas,
 * /ResourceTypes) takes this instead of `USER_RESOURCE`.
 *
 * The same settings give the same object (remembered by their JSON), so the per-resource path
 * caches of schemas.ts keep working across requests.
 */
export function userResourceFor(settings: UserExtensionSettings): ResourceDef {
  const key = JSON.stringify(settings);
  const known = resources.get(key);
  if (known) return known;
  const resource: ResourceDef = {
    ...USER_RESOURCE,
    extensions: [
      ...USER_RESOURCE.extensions,
      ...settings.extensions.map((extension) => ({ schema: extensionSchema(extension), required: false })),
    ],
    undeclaredExtensions: settings.undeclared,
  };
  // Tenants change their declarations rarely; a bound keeps a churn of edits from growing it.
  if (resources.size >= MAX_REMEMBERED) resources.delete(resources.keys().next().value as string);
  resources.set(key, resource);
  return resource;
}

const MAX_REMEMBERED = 1_000;
const resources = new Map<string, ResourceDef>();

/**
 * The User resource as /Schemas and /ResourceTypes describe it: `resource` plus the undeclared
 * extension attributes the tenant's users hold (`stored`, from the directory), when the tenant keeps
 * undeclared extensions, each a singular string as it is stored. A tenant that refuses them is
 * described as declared only: a client must not be told an attribute it would be refused for.
 * The core and enterprise schemas and declared attributes (any case) are never re-described.
 */
export function describedUserResource(resource: ResourceDef, stored: readonly { urn: string; name: string }[]): ResourceDef {
  if (resource.undeclaredExtensions !== "accept") return resource;
  const extensions = resource.extensions.map((extension) => ({
    ...extension,
    schema: { ...extension.schema, attributes: [...extension.schema.attributes] },
  }));
  for (const { urn, name } of stored) {
    if (sameUrn(urn, resource.schema.id) || sameUrn(urn, SCHEMA.enterpriseUser) || extensionUrnProblem(urn) !== undefined) continue;
    let extension = extensions.find((known) => sameUrn(known.schema.id, urn));
    if (!extension) {
      extension = {
        required: false,
        schema: { id: urn, name: extensionName(urn), description: "Custom User extension, undeclared (kept as text)", attributes: [] },
      };
      extensions.push(extension);
    }
    const attributes = extension.schema.attributes as AttributeDef[];
    if (attributes.some((known) => known.name.toLowerCase() === name.toLowerCase())) continue;
    attributes.push(undeclaredAttribute(name));
  }
  return { ...resource, extensions };
}

function undeclaredAttribute(name: string): AttributeDef {
  return {
    name,
    type: "string",
    multiValued: false,
    description: "Undeclared, kept as text",
    required: false,
    caseExact: false,
    mutability: "readWrite",
    returned: "default",
    uniqueness: "none",
  };
}

function extensionSchema(extension: UserExtensionSettings["extensions"][number]): SchemaDef {
  return {
    id: extension.urn,
    name: extensionName(extension.urn),
    description: "Custom User extension declared by the tenant",
    attributes: extension.attributes.map((attribute): AttributeDef => ({
      name: attribute.name,
      type: attribute.type,
      multiValued: false,
      description: attribute.description,
      required: false,
      caseExact: false,
      mutability: "readWrite",
      returned: "default",
      uniqueness: "none",
      ...(attribute.type === "reference" ? { referenceTypes: ["external"] } : {}),
    })),
  };
}

/** `urn:ietf:params:scim:schemas:extension:acme:2.0:User` → `acme`; else the URN's last part. */
export function extensionName(urn: string): string {
  const parts = urn.split(":");
  const extension = /^urn:ietf:params:scim:schemas:extension:([^:]+):/i.exec(urn);
  return extension?.[1] ?? parts[parts.length - 1] ?? urn;
}
