import { ScimError, type ResourceDef } from "../scim";
import type { ProvisioningOperation } from "@/lib/provisioning-operations";
import { AppError } from "../errors";

/** What a framework-free handler answers; the route turns it into a Response. */
export type ScimResult = {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** How the request reads in the provisioning events. */
  event?: ScimEventInfo;
};

export type ScimEventInfo = {
  /** In words, one of the operations the events page filters by. */
  operation: ProvisioningOperation;
  resourceType?: "User" | "Group";
  resourceId?: string;
  resourceName?: string;
};

/** Everything a handler needs, from the authenticated request: never module state. */
export type ScimContext = {
  tenantId: string;
  /** `<APP_URL>/api/scim/v2/<slug>`, no trailing slash. */
  baseUrl: string;
  /** The tenant's User resource: core, enterprise and its declared extensions (scim/user-extensions.ts). */
  userResource: ResourceDef;
};

/** Directory errors (AppError) as SCIM errors; anything else is passed through unchanged. */
export function toScimError(error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  switch (error.code) {
    case "NOT_FOUND":
      return new ScimError(404, error.message);
    case "CONFLICT":
      // Version mismatches are retried by the caller before they get here; what is left is a uniqueness clash.
      return error.internal === "version mismatch" ? ScimError.conflict(error.message) : ScimError.uniqueness(error.message);
    case "BAD_REQUEST":
      return ScimError.invalidValue(error.message);
    case "FORBIDDEN":
      return ScimError.forbidden(error.message);
    case "UNAUTHORIZED":
      return ScimError.unauthorized(error.message);
    case "TOO_MANY_REQUESTS":
      return new ScimError(429, error.message);
  }
}

/**
 * Errors that only say another request ran at the same time: a serialization failure or deadlock
 * (SQLSTATE 40001 / 40P01, Prisma P2034), or the directory's optimistic version check. Retrying
 * the whole transaction is then correct.
 */
function isConcurrencyError(error: unknown): boolean {
  if (error instanceof AppError) return error.code === "CONFLICT" && error.internal === "version mismatch";
  const e = error as { code?: string; meta?: { driverAdapterError?: { cause?: { kind?: string; originalCode?: string; code?: string } } } };
  if (e?.code === "P2034" || e?.code === "40001" || e?.code === "40P01") return true;
  const cause = e?.meta?.driverAdapterError?.cause;
  return (
    cause?.kind === "TransactionWriteConflict" ||
    cause?.originalCode === "40001" ||
    cause?.originalCode === "40P01" ||
    cause?.code === "40P01"
  );
}

/**
 * Runs `fn` again when it lost a race with another request. Every round has a winner (the write
 * that landed), so k concurrent writers of one resource all finish within k attempts; the bound
 * only stops a pathological storm.
 */
export async function retryOnConflict<T>(fn: () => Promise<T>, attempts = 50): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts || !isConcurrencyError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 5 * attempt)));
    }
  }
}
