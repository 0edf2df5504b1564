/**
 * One log line per job step that runs (a step Inngest or the in-process runner replays from its
 * record runs nothing and logs nothing): run, profile, step, duration and outcome.
 */
import type { StepRunner } from "../jobs/step";
import { errorFields, log } from "./logger";

export type StepContext = { job: string; runId: string; profileId?: string; tenantId?: string };

/** The outcome a step's result reports: `{ fatal }` (a stage that stopped the run) or `{ status }`. */
function outcomeOf(result: unknown): string {
  if (result && typeof result === "object") {
    const r = result as { fatal?: unknown; status?: unknown; errors?: unknown };
    if (typeof r.fatal === "string" && r.fatal) return "fatal";
    if (typeof r.errors === "number" && r.errors > 0) return "errors";
    if (typeof r.status === "string") return r.status.toLowerCase();
  }
  return "ok";
}

export function loggedSteps(step: StepRunner, context: StepContext): StepRunner {
  return {
    run: (id, fn) =>
      step.run(id, async () => {
        const started = performance.now();
        const logger = log();
        try {
          const result = await fn();
          if (logger.isLevelEnabled("info"))
            logger.info(
              { ...context, step: id, durationMs: Math.round(performance.now() - started), outcome: outcomeOf(result) },
              "job step",
            );
          return result;
        } catch (error) {
          logger.warn(
            { ...context, step: id, durationMs: Math.round(performance.now() - started), outcome: "threw", ...errorFields(error) },
            "job step",
          );
          throw error;
        }
      }),
  };
}
