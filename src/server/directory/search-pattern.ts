/**
 * A LIKE pattern matching `query` anywhere in a lower-cased column (the trigram index on
 * `searchText` serves it). `%`, `_` and `\` in the query are matched literally: the pattern is used
 * with `ESCAPE '\'`.
 */
export function containsPattern(query: string): string {
  return `%${escapeLike(query.trim().toLowerCase())}%`;
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
