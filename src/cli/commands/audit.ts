import { z } from "zod";
import { AUDIT_ACTION_NAMES } from "@/lib/audit-actions";
import { listAuditEntries } from "@/server/audit/list";
import { str, UsageError, type Command } from "../command";
import { parseSince } from "../since";
import { tenantFromOption } from "../tenant-option";

const zAction = z.enum(AUDIT_ACTION_NAMES);

const compact = (value: unknown) => (value === null || value === undefined ? "-" : JSON.stringify(value));

export const auditList: Command = {
  name: "audit:list",
  summary: "List a tenant's audit log, newest first: time, actor, action, object, before, after, client address.",
  usage: "npm run cli -- audit:list --tenant S [--since 7d|2026-12-01] [--action A] [--actor E] [--limit N]",
  options: {
    tenant: { type: "string" },
    since: { type: "string" },
    action: { type: "string" },
    actor: { type: "string" },
    limit: { type: "string" },
  },
  required: ["tenant"],
  async run(values) {
    const tenant = await tenantFromOption(str(values, "tenant"));
    const action = str(values, "action") || undefined;
    if (action && !zAction.safeParse(action).success) throw new UsageError(`--action: one of ${AUDIT_ACTION_NAMES.join(", ")}.`);
    const limit = Number(str(values, "limit") || "100");
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UsageError("--limit: a whole number from 1 to 10000.");
    const since = str(values, "since");
    const page = await listAuditEntries({
      tenantId: tenant.id,
      filters: {
        action: action as z.infer<typeof zAction> | undefined,
        actor: str(values, "actor") || undefined,
        from: since ? parseSince(since) : undefined,
      },
      offset: 0,
      limit,
    });
    for (const e of page.items) {
      const object = [e.targetType, e.targetName ?? e.targetId].filter(Boolean).join(" ");
      console.log(
        [e.at.toISOString(), e.actorLabel, e.action, object, compact(e.before), compact(e.after), e.clientAddress ?? "-"].join("\t"),
      );
    }
    if (page.total > page.items.length) console.error(`(${page.items.length} of ${page.total}; narrow with --since or raise --limit)`);
  },
};
