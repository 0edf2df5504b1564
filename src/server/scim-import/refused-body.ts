import { isSecretPath } from "./event-redaction";

/**
 * What a provisioning event keeps of a body refused before it was parsed (nested too deep, not
 * JSON): its size and a short preview of its start, read by one linear scan of a bounded prefix,
 * never parsed nor walked. The preview keeps the structure, the keys and JSON's literals (numbers,
 * true, false, null); other values are masked ("…"), except the strings of the protocol's own
 * words (schemas, op, path, method, bulkId), which say what the request was and hold no
 * attribute data (a path whose value filter quotes a secret is masked too).
 */
export type RefusedBody = { refused: string; sizeChars: number; preview: string };

const PREVIEW_SOURCE_CHARS = 1_000;
const KEPT_VALUES_OF = new Set(["schemas", "op", "path", "method", "bulkid"]);
const MAX_KEPT_VALUE_CHARS = 200;
const MASKED = "…";
/** Outside strings: structure and whitespace, kept as they are. */
const STRUCTURE = /[\s{}[\],:]/;
const LITERAL = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;

export function refusedBody(text: string, reason: string): RefusedBody {
  return { refused: reason, sizeChars: text.length, preview: maskedPreview(text.slice(0, PREVIEW_SOURCE_CHARS)) };
}

function decoded(literal: string): string {
  try {
    return String(JSON.parse(literal));
  } catch {
    return literal;
  }
}

function keepsValue(key: string, literal: string, closed: boolean): boolean {
  if (!KEPT_VALUES_OF.has(key) || !closed || literal.length > MAX_KEPT_VALUE_CHARS) return false;
  const value = decoded(literal);
  return !(value.includes("[") && isSecretPath(value));
}

function maskedPreview(text: string): string {
  const parts: string[] = [];
  let lastKey = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (STRUCTURE.test(c)) {
      parts.push(c);
      i++;
      continue;
    }
    if (c !== '"') {
      // A bare token: a JSON literal is kept, anything else (invalid JSON) masked.
      let end = i;
      while (end < text.length && !STRUCTURE.test(text[end] as string) && text[end] !== '"') end++;
      const token = text.slice(i, end);
      parts.push(LITERAL.test(token) ? token : MASKED);
      i = end;
      continue;
    }
    let end = i + 1;
    while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
    const literal = text.slice(i, end + 1);
    let next = end + 1;
    while (next < text.length && /\s/.test(text[next] as string)) next++;
    if (text[next] === ":") {
      lastKey = decoded(literal).toLowerCase();
      parts.push(literal);
    } else {
      parts.push(keepsValue(lastKey, literal, end < text.length) ? literal : `"${MASKED}"`);
    }
    i = end + 1;
  }
  return parts.join("");
}
