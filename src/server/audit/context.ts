import { AsyncLocalStorage } from "node:async_hooks";
import { CLI_ACTOR_LABEL } from "@/lib/audit-actions";

/** Who makes the changes of the current request: a console account, or the operator's CLI. */
export type AuditActor = { kind: "account"; accountId: string; email: string } | { kind: "cli" };
export type AuditContext = { actor: AuditActor; clientAddress: string | null };

const storage = new AsyncLocalStorage<AuditContext>();

/**
 * Runs `fn` as `context`'s actor: the tRPC layer wraps every mutation, the CLI every command. The
 * services record their changes without taking the actor as a parameter.
 */
export function runAsActor<T>(context: AuditContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The actor of the current console or CLI request; null for the system's own work (scheduler, jobs). */
export function currentAuditContext(): AuditContext | null {
  return storage.getStore() ?? null;
}

export function actorLabel(actor: AuditActor): string {
  return actor.kind === "cli" ? CLI_ACTOR_LABEL : actor.email;
}
