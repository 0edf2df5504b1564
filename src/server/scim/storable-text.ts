/// <reference lib="es2024.string" />
import { ScimError } from "./errors";

/**
 * Text PostgreSQL cannot store, found in a string or in any key or string of a parsed JSON value:
 * U+0000 (text and jsonb refuse it) and lone surrogates (`"\ud800"` is valid JSON, but not
 * well-formed UTF-16: the driver would store U+FFFD in its place, and json refuses the escape).
 */
export function unstorableTextProblem(text: string): string | undefined {
  if (text.includes("\0")) return "Text cannot contain the NUL character (U+0000); remove it and retry";
  if (!text.isWellFormed()) {
    return "Text must be well-formed UTF-16: a lone surrogate (e.g. the escape \\ud800 without its pair) is not a character; send the character itself or its full surrogate pair";
  }
  return undefined;
}

/**
 * Refuses (400 invalidValue) a value holding unstorable text anywhere, keys included. Walks with
 * an explicit stack, not recursion, so no nesting depth can overflow it.
 */
export function assertStorableText(value: unknown): void {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node === "string") {
      const problem = unstorableTextProblem(node);
      if (problem) throw ScimError.invalidValue(problem);
    } else if (Array.isArray(node)) {
      for (const item of node) pending.push(item);
    } else if (typeof node === "object" && node !== null) {
      for (const [key, item] of Object.entries(node)) pending.push(key, item);
    }
  }
}

/**
 * Whether JSON text may decode to unstorable text: U+0000 and surrogates reach a parsed value only
 * as `\u` escapes (a body is decoded from UTF-8, which cannot carry them), so a body without such
 * an escape needs no walk.
 */
export function mayDecodeToUnstorableText(jsonText: string): boolean {
  return /\\u(?:0000|[dD][89a-fA-F])/.test(jsonText);
}
