import { createCallerFactory, createTRPCRouter } from "./init";
import { accountRouter } from "./routers/account";
import { tenantRouter } from "./routers/tenant";
import { usersRouter } from "./routers/users";
import { groupsRouter } from "./routers/groups";
import { scimImportRouter } from "./routers/scim-import";
import { scimExportRouter } from "./routers/scim-export";
import { ssoRouter } from "./routers/sso";
import { auditRouter } from "./routers/audit";
import { retentionRouter } from "./routers/retention";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  tenant: tenantRouter,
  users: usersRouter,
  groups: groupsRouter,
  scimImport: scimImportRouter,
  scimExport: scimExportRouter,
  sso: ssoRouter,
  audit: auditRouter,
  retention: retentionRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
