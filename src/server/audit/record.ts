import type { Prisma } from "@/generated/prisma/client";
import type { AuditAction } from "@/lib/audit-actions";
import type { DbTx } from "../db";
import { actorLabel, currentAuditContext, type AuditContext } from "./context";
import { redactSecrets } from "./redact";

type AuditTarget = { type: string; id?: string | null; name?: string | null };
type AuditChange = {
  tenantId: string;
  action: AuditAction;
  target: AuditTarget;
  /** The values before and after the change (only what changed is best); secrets are redacted here. */
  before?: unknown;
  after?: unknown;
};

function json(value: unknown): Prisma.InputJsonValue | undefined {
  const redacted = redactSecrets(value);
  return redacted === null ? undefined : (redacted as Prisma.InputJsonValue);
}

/**
 * Records a change in the audit log, on `tx`: pass the transaction that makes the change, so the
 * entry commits with it and a change that rolls back leaves none. The actor and client address
 * come from the console or CLI request (./context.ts); outside one (the scheduler, a job) nobody
 * made a change, and nothing is recorded.
 */
export async function recordAudit(tx: DbTx, change: AuditChange, context: AuditContext | null = currentAuditContext()): Promise<void> {
  if (!context) return;
  await tx.auditEntry.create({
    data: {
      tenantId: change.tenantId,
      actorAccountId: context.actor.kind === "account" ? context.actor.accountId : null,
      actorLabel: actorLabel(context.actor),
      action: change.action,
      targetType: change.target.type,
      targetId: change.target.id ?? null,
      targetName: change.target.name ?? null,
      before: json(change.before),
      after: json(change.after),
      clientAddress: context.clientAddress,
    },
    select: { id: true },
  });
}
