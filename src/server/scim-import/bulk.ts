import {
  ScimError,
  bulkErrorResult,
  bulkResponse,
  parseBulkRequest,
  planBulkExecution,
  resolveBulkIds,
  shouldStopBulk,
  type BulkOperation,
  type BulkOperationResult,
} from "../scim";
import type { ScimImportConfig } from "./config";
import { createScimGroup, deleteScimGroup, patchScimGroup, replaceScimGroup } from "./groups";
import { toScimError, type ScimContext, type ScimResult } from "./scim-result";
import { createScimUser, deleteScimUser, patchScimUser, replaceScimUser } from "./users";
import { errorFields, log } from "../observability/logger";

async function runOperation(ctx: ScimContext, operation: BulkOperation): Promise<ScimResult> {
  const pre = { ifMatch: operation.version ?? null };
  const users = operation.endpoint === "/Users";
  const id = operation.id ?? "";
  switch (operation.method) {
    case "POST":
      return users ? createScimUser(ctx, operation.data) : createScimGroup(ctx, operation.data);
    case "PUT":
      return users ? replaceScimUser(ctx, id, operation.data, pre) : replaceScimGroup(ctx, id, operation.data, pre);
    case "PATCH":
      return users ? patchScimUser(ctx, id, operation.data, pre) : patchScimGroup(ctx, id, operation.data, pre, undefined);
    case "DELETE":
      return users ? deleteScimUser(ctx, id, pre) : deleteScimGroup(ctx, id, pre);
  }
}

/**
 * POST /Bulk (RFC 7644 §3.7): operations run in dependency order, each in its own transaction (a
 * bulk request is not atomic); `bulkId:` references are replaced by the ids created earlier;
 * processing stops after `failOnErrors` failures.
 */
export async function runScimBulk(ctx: ScimContext, body: unknown, config: ScimImportConfig): Promise<ScimResult> {
  const request = parseBulkRequest(body, { limits: config.bulk });
  const created = new Map<string, string>();
  const results: BulkOperationResult[] = [];
  let errors = 0;
  for (const step of planBulkExecution(request)) {
    if (shouldStopBulk(request, errors)) break;
    const { operation } = step;
    let result: BulkOperationResult;
    try {
      if (step.error) throw step.error;
      const resolved = { ...operation, id: resolveBulkIds(operation.id, created), data: resolveBulkIds(operation.data, created) };
      const answer = await runOperation(ctx, resolved);
      const resourceId = answer.event?.resourceId;
      if (operation.method === "POST" && operation.bulkId && resourceId) created.set(operation.bulkId, resourceId);
      const endpoint = operation.endpoint;
      result = {
        method: operation.method,
        bulkId: operation.bulkId,
        version: answer.headers?.ETag,
        location: resourceId && operation.method !== "DELETE" ? `${ctx.baseUrl}${endpoint}/${resourceId}` : undefined,
        status: answer.status,
      };
    } catch (error) {
      if (!(error instanceof ScimError)) log().error(errorFields(error), "SCIM bulk operation failed");
      result = bulkErrorResult(operation, toScimError(error));
      errors++;
    }
    results.push(result);
  }
  return {
    status: 200,
    body: bulkResponse(results),
    event: { operation: "bulk", resourceName: `${results.length} ${results.length === 1 ? "operation" : "operations"}, ${errors} failed` },
  };
}
