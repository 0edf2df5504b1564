/** Running syncs in tests the way the console, the CLI and the scheduler request them. */
import type { ExportRunTrigger } from "@/generated/prisma/enums";
import { db } from "../../server/db";
import { inlineSteps, runExportSync, type StepRunner } from "../../server/scim-export/engine/sync";
import { listExportOperations } from "../../server/scim-export/runs";
import { requestExportSync } from "../../server/scim-export/sync-request";
import { FAST_RETRIES } from "./scim-export";

/**
 * A full reconcile as each entry point asks for it: Provision on Demand's full pass (ON_DEMAND),
 * `export:sync --full` (MANUAL), or the scheduled run once `fullSyncHours` have passed (SCHEDULE).
 */
export async function fullReconcile(tenantId: string, profileId: string, via: "ON_DEMAND" | "MANUAL" | "SCHEDULE" = "MANUAL") {
  if (via === "SCHEDULE")
    await db().exportProfile.update({
      where: { id: profileId },
      data: { lastFullSyncAt: new Date(Date.now() - 48 * 3_600_000) },
      select: { id: true },
    });
  return runRequested(tenantId, profileId, via, via !== "SCHEDULE");
}

/** Queues a run as the given trigger does and executes it right here, step by step through `steps`. */
export async function runRequested(
  tenantId: string,
  profileId: string,
  trigger: ExportRunTrigger,
  full: boolean,
  steps: StepRunner = inlineSteps,
) {
  const { runId } = await requestExportSync({ tenantId, profileId, trigger, full });
  await runExportSync({ tenantId, profileId, runId }, steps, { retries: FAST_RETRIES });
  return db().exportRun.findUniqueOrThrow({ where: { id: runId } });
}

/** Every operation a run logged (oldest first). */
export async function operationsOf(tenantId: string, profileId: string, runId: string) {
  const page = await listExportOperations({ tenantId, profileId, filters: { runId }, limit: 200 });
  return page.items.reverse();
}
