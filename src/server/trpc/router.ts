import { createCallerFactory, createTRPCRouter } from "./init";
import { accountRouter } from "./routers/account";
import { tenantRouter } from "./routers/tenant";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  tenant: tenantRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
