/**
 * A dry run of the engine (Preview sync): while `fn` runs, every sync context's client answers
 * writes through one DryRunTarget instead of sending them. Only reads reach the target.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { DryRunTarget } from "../client/dry-run-target";

const scope = new AsyncLocalStorage<DryRunTarget>();

export function asDryRun<T>(fn: (target: DryRunTarget) => Promise<T>): Promise<T> {
  const target = new DryRunTarget();
  return scope.run(target, () => fn(target));
}

/** The current dry run's target, or null outside a dry run. */
export const dryRunTarget = (): DryRunTarget | null => scope.getStore() ?? null;
