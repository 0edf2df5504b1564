/**
 * The deepest nesting of objects and arrays any JSON entry point reads (SCIM Import, the console's
 * API, sign-in): far above what their inputs need (a SCIM resource: 4; the core then refuses past
 * 8 with a precise message), low enough that nothing recursing over a parsed value can overflow.
 */
export const MAX_JSON_NESTING = 32;

/**
 * How deeply the JSON text nests objects and arrays, found by one linear scan without recursion,
 * so that a hostile body (ten thousand `[`) is refused before JSON.parse or any recursive walk
 * over the parsed value can overflow the stack. Brackets inside strings are skipped, escapes
 * included. Stops counting once `limit` is passed.
 */
export function jsonNestingDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return deepest;
}
