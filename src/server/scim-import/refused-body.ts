import { isSecretPath } from "./event-redaction";

/**
 * What a provisioning event keeps of a body refused before it was parsed (nested too deep, not
 * JSON): its size and a short preview of its start, read by one linear scan of a bounded prefix,
 * never parsed nor walked. The preview keeps the structure and the keys; string values are
 * masked ("…"), except the protocol's own words (schemas, op, path, method, bulkId), which say
 * what the request was and hold no attribute data.
 */
export type RefusedBody = { refused: string; sizeChars: number; preview: string };

const PREVIEW_SOURCE_CHARS = 1_000;
const KEPT_VALUES_OF = new Set(["schemas", "op", "path", "method", "bulkid"]);
const MAX_KEPT_VALUE_CHARS = 200;
const MASKED = '"…"';

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

function maskedPreview(text: string): string {
  const parts: string[] = [];
  let lastKey = "";
  let i = 0;
  while (i < text.length) {
    const quote = text.indexOf('"', i);
    if (quote < 0) {
      parts.push(text.slice(i));
      break;
    }
    parts.push(text.slice(i, quote));
    let end = quote + 1;
    while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
    const literal = text.slice(quote, end + 1);
    let next = end + 1;
    while (next < text.length && /\s/.test(text[next] as string)) next++;
    if (text[next] === ":") {
      lastKey = decoded(literal).toLowerCase();
      parts.push(literal);
    } else {
      const keep = KEPT_VALUES_OF.has(lastKey) && literal.length <= MAX_KEPT_VALUE_CHARS && end < text.length && !isSecretPath(decoded(literal));
      parts.push(keep ? literal : MASKED);
    }
    i = end + 1;
  }
  return parts.join("");
}
