import type { BulkLimits } from "./bulk";
import { type AttributeDef, type ResourceDef, type SchemaDef, RESOURCES, SCHEMA, sameUrn } from "./schemas";

export interface DiscoveryOptions {
  /** The tenant's SCIM base URL, e.g. https://host/api/scim/v2/acme (trailing slash ignored). */
  readonly baseUrl: string;
  readonly bulk: BulkLimits;
  /** filter.maxResults: the largest page a list returns. */
  readonly maxResults: number;
  readonly documentationUri?: string;
}

const trim = (url: string) => url.replace(/\/+$/, "");

/** GET /ServiceProviderConfig (RFC 7643 §5). */
export function serviceProviderConfig(options: DiscoveryOptions) {
  const base = trim(options.baseUrl);
  return {
    schemas: [SCHEMA.serviceProviderConfig],
    ...(options.documentationUri ? { documentationUri: options.documentationUri } : {}),
    patch: { supported: true },
    bulk: { supported: true, maxOperations: options.bulk.maxOperations, maxPayloadSize: options.bulk.maxPayloadSize },
    filter: { supported: true, maxResults: options.maxResults },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "OAuth Bearer Token",
        description: 'Authentication with the SCIM token of the tenant, sent as "Authorization: Bearer <token>".',
        specUri: "https://www.rfc-editor.org/info/rfc6750",
        primary: true,
      },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${base}/ServiceProviderConfig` },
  };
}

export type ResourceTypeDocument = ReturnType<typeof resourceTypeDocuments>[number];

/**
 * GET /ResourceTypes (RFC 7643 §6); serve as a ListResponse, or one by id. `resources`: the
 * tenant's (its User resource lists the extensions it declared, user-extensions.ts).
 */
export function resourceTypeDocuments(baseUrl: string, resources: readonly ResourceDef[] = RESOURCES) {
  const base = trim(baseUrl);
  return resources.map((resource) => ({
    schemas: [SCHEMA.resourceType],
    id: resource.name,
    name: resource.name,
    endpoint: resource.endpoint,
    description: resource.description,
    schema: resource.schema.id,
    schemaExtensions: resource.extensions.map((extension) => ({ schema: extension.schema.id, required: extension.required })),
    meta: { resourceType: "ResourceType", location: `${base}/ResourceTypes/${resource.name}` },
  }));
}

export type SchemaDocument = ReturnType<typeof schemaDocuments>[number];

/** GET /Schemas (RFC 7643 §7). Common attributes (id, externalId, meta) are not listed, as in §8.7.1. */
export function schemaDocuments(baseUrl: string, resources: readonly ResourceDef[] = RESOURCES) {
  const base = trim(baseUrl);
  const schemas: SchemaDef[] = [];
  for (const resource of resources) {
    for (const schema of [resource.schema, ...resource.extensions.map((extension) => extension.schema)]) {
      if (!schemas.includes(schema)) schemas.push(schema);
    }
  }
  return schemas.map((schema) => ({
    schemas: [SCHEMA.schema],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(describeAttribute),
    meta: { resourceType: "Schema", location: `${base}/Schemas/${schema.id}` },
  }));
}

interface AttributeDocument {
  name: string;
  type: string;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: string;
  returned: string;
  uniqueness: string;
  canonicalValues?: readonly string[];
  referenceTypes?: readonly string[];
  subAttributes?: AttributeDocument[];
}

function describeAttribute(def: AttributeDef): AttributeDocument {
  return {
    name: def.name,
    type: def.type,
    multiValued: def.multiValued,
    description: def.description,
    required: def.required,
    caseExact: def.caseExact,
    mutability: def.mutability,
    returned: def.returned,
    uniqueness: def.uniqueness,
    ...(def.canonicalValues ? { canonicalValues: def.canonicalValues } : {}),
    ...(def.referenceTypes ? { referenceTypes: def.referenceTypes } : {}),
    ...(def.subAttributes ? { subAttributes: def.subAttributes.map(describeAttribute) } : {}),
  };
}

/** /Schemas/{id} and /ResourceTypes/{id}: undefined means 404. */
export function findSchemaDocument(baseUrl: string, id: string, resources: readonly ResourceDef[] = RESOURCES): SchemaDocument | undefined {
  return schemaDocuments(baseUrl, resources).find((doc) => sameUrn(doc.id, id));
}

export function findResourceTypeDocument(
  baseUrl: string,
  id: string,
  resources: readonly ResourceDef[] = RESOURCES,
): ResourceTypeDocument | undefined {
  return resourceTypeDocuments(baseUrl, resources).find((doc) => doc.id.toLowerCase() === id.toLowerCase());
}
