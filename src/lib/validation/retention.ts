import { z } from "zod";

/** Retention bounds (the database's CHECK constraints say the same). */
export const LOG_RETENTION_DAYS = { min: 1, max: 3650, default: 90 } as const;
export const AUDIT_RETENTION_DAYS = { min: 30, max: 3650, default: 400 } as const;

export const zRetentionPolicy = z.object({
  logRetentionDays: z
    .number({ error: "Enter a number of days." })
    .int("Whole days only.")
    .min(LOG_RETENTION_DAYS.min, `At least ${LOG_RETENTION_DAYS.min} day.`)
    .max(LOG_RETENTION_DAYS.max, `At most ${LOG_RETENTION_DAYS.max} days (10 years).`),
  auditRetentionDays: z
    .number({ error: "Enter a number of days." })
    .int("Whole days only.")
    .min(AUDIT_RETENTION_DAYS.min, `At least ${AUDIT_RETENTION_DAYS.min} days: auditors ask for the last month at the very least.`)
    .max(AUDIT_RETENTION_DAYS.max, `At most ${AUDIT_RETENTION_DAYS.max} days (10 years).`),
});
export type RetentionPolicy = z.infer<typeof zRetentionPolicy>;
