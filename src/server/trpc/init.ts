import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import type { Role } from "@/generated/prisma/enums";
import { getConsoleSession, type ConsoleSession } from "../auth/options";
import { AppError, type AppErrorCode } from "../errors";
import { INTERNAL_ERROR_MESSAGE } from "../http/internal-error";
import { clientAddress } from "../http/client-address";
import { runAsActor } from "../audit/context";
import { can, type Permission } from "../tenancy/roles";
import { resolveMembership, type TenantContext } from "../tenancy/tenants";
import { z } from "zod";

/** `clientAddress`: the caller's address (for the sign-in throttle); absent for in-process callers. */
export type TrpcContext = { session: ConsoleSession | null; clientAddress?: string | null };

export async function createTrpcContext(options?: { req: Request }): Promise<TrpcContext> {
  return { session: await getConsoleSession(), clientAddress: options ? clientAddress(options.req.headers) : null };
}

const trpcCodeOf: Record<AppErrorCode, TRPCError["code"]> = {
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  FORBIDDEN: "FORBIDDEN",
  UNAUTHORIZED: "UNAUTHORIZED",
  BAD_REQUEST: "BAD_REQUEST",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
};

const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  /**
   * What a caller learns of an error: AppError messages (written for people) and the issues of
   * invalid input. A failure on our side says only that; the route's onError logs it. No answer
   * carries a stack trace, in development either.
   */
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    const { stack: _stack, ...data } = shape.data;
    return {
      ...shape,
      message: internal ? INTERNAL_ERROR_MESSAGE : shape.message,
      data: {
        ...data,
        // The form shows this message under the named field.
        field: cause instanceof AppError ? (cause.field ?? null) : null,
        // Only for the caller's input: a ZodError from our own code is an internal failure.
        zodIssues:
          !internal && cause instanceof ZodError ? cause.issues.map((i) => ({ path: i.path.join("."), message: i.message })) : null,
      },
    };
  },
});

/** Services throw AppError; only this layer speaks tRPC. Unknown errors stay 500 and are logged. */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: trpcCodeOf[cause.code], message: cause.message, cause });
  }
  return result;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(appErrors);

export const authedProcedure = publicProcedure.use(({ ctx, type, next }) => {
  const session = ctx.session;
  if (!session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  if (type !== "mutation") return next({ ctx: { session } });
  // A change is made by this account from this address: the services' audit entries say so.
  return runAsActor(
    { actor: { kind: "account", accountId: session.accountId, email: session.email }, clientAddress: ctx.clientAddress ?? null },
    () => next({ ctx: { session } }),
  );
});

/**
 * Every tenant-scoped procedure takes `tenantSlug` and runs only for members of that tenant;
 * the handler gets the verified tenant and role from the context, never from input.
 */
export const tenantProcedure = authedProcedure
  .input(z.object({ tenantSlug: z.string().min(1).max(64) }))
  .use(async ({ ctx, input, next }) => {
    const membership = await resolveMembership(ctx.session.accountId, input.tenantSlug);
    return next({ ctx: { tenant: membership.tenant as TenantContext, role: membership.role as Role } });
  });

function requiring(permission: Permission) {
  return tenantProcedure.use(({ ctx, next }) => {
    if (!can(ctx.role, permission)) {
      throw new TRPCError({ code: "FORBIDDEN", message: "Your role in this organisation does not allow this change." });
    }
    return next();
  });
}

/** Changes to tenant data: owners and admins. Viewers read only. */
export const tenantWriteProcedure = requiring("write");
export const memberAdminProcedure = requiring("manageMembers");
