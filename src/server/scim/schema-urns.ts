/** Schema and message URNs of RFC 7643 §8.7 and RFC 7644 §3 (kept apart so errors.ts has no cycle). */
export const SCHEMA = {
  user: "urn:ietf:params:scim:schemas:core:2.0:User",
  group: "urn:ietf:params:scim:schemas:core:2.0:Group",
  enterpriseUser: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
  serviceProviderConfig: "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig",
  resourceType: "urn:ietf:params:scim:schemas:core:2.0:ResourceType",
  schema: "urn:ietf:params:scim:schemas:core:2.0:Schema",
  listResponse: "urn:ietf:params:scim:api:messages:2.0:ListResponse",
  searchRequest: "urn:ietf:params:scim:api:messages:2.0:SearchRequest",
  patchOp: "urn:ietf:params:scim:api:messages:2.0:PatchOp",
  bulkRequest: "urn:ietf:params:scim:api:messages:2.0:BulkRequest",
  bulkResponse: "urn:ietf:params:scim:api:messages:2.0:BulkResponse",
  error: "urn:ietf:params:scim:api:messages:2.0:Error",
} as const;

/** Same URN, any case: RFC 7643 §2.1 makes schema URIs in attribute paths case-insensitive. */
export function sameUrn(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
