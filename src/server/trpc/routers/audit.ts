import { z } from "zod";
import { AUDIT_ACTION_NAMES } from "@/lib/audit-actions";
import { listAuditEntries } from "../../audit/list";
import { createTRPCRouter, tenantProcedure } from "../init";

const zAuditFilters = z.object({
  actor: z.string().trim().max(200).optional(),
  action: z.enum(AUDIT_ACTION_NAMES).optional(),
  object: z.string().trim().max(200).optional(),
  from: z.date().optional(),
  to: z.date().optional(),
});

/** Events / Logs → Audit log: who changed what, newest first. */
export const auditRouter = createTRPCRouter({
  list: tenantProcedure
    .input(
      zAuditFilters.extend({
        page: z.number().int().min(1).max(100_000).default(1),
        pageSize: z.number().int().min(1).max(100).default(25),
      }),
    )
    .query(({ ctx, input }) => {
      const { tenantSlug: _slug, page, pageSize, ...filters } = input;
      return listAuditEntries({ tenantId: ctx.tenant.id, filters, offset: (page - 1) * pageSize, limit: pageSize });
    }),
});
