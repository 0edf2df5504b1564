import { directoryChangeCommitted } from "../jobs/directory-changes";
import { tenantWriteProcedure } from "./init";

/**
 * Console writes to users and groups: after a mutation succeeded (its transaction committed), the
 * tenant's change-triggered sync is told, as after a SCIM Import write.
 */
export const directoryWriteProcedure = tenantWriteProcedure.use(async ({ ctx, next }) => {
  const result = await next();
  if (result.ok) directoryChangeCommitted(ctx.tenant.id);
  return result;
});
