/**
 * The part of CEL (SDK spec §1.3.1) that function configs use here: a key is a path into the
 * event (`event.data.profileId`); a trigger's condition is `<path> == '<literal>'` (what the SDK
 * generates for onFailure handlers). Anything else is refused by name, so that a function using
 * more of CEL fails loudly in tests instead of being matched wrongly.
 */
const PATH = /^(event|async)(\.[A-Za-z_$][\w$]*)+$/;
const EQUALS = /^\s*([\w.$]+)\s*==\s*(?:'([^']*)'|"([^"]*)")\s*$/;

function evaluatePath(path: string, vars: Record<string, unknown>): unknown {
  const trimmed = path.trim();
  if (!PATH.test(trimmed)) throw new Error(`Unsupported expression "${path}": the executor evaluates paths like event.data.id`);
  return trimmed
    .split(".")
    .reduce<unknown>(
      (value, name) => (value !== null && typeof value === "object" ? (value as Record<string, unknown>)[name] : undefined),
      vars,
    );
}

/** A concurrency or debounce key: the value at the path, as a string (undefined values share one key). */
export function evaluateKey(expression: string, event: unknown): string {
  const value = evaluatePath(expression, { event });
  return typeof value === "string" ? value : JSON.stringify(value ?? null);
}

export function matchesCondition(expression: string | undefined, event: unknown): boolean {
  if (!expression) return true;
  const match = EQUALS.exec(expression);
  if (!match) throw new Error(`Unsupported trigger expression "${expression}": the executor evaluates <path> == '<literal>'`);
  return evaluatePath(match[1]!, { event }) === (match[2] ?? match[3]);
}
